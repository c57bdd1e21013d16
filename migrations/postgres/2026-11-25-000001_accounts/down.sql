DROP TABLE password_resets;
DROP TABLE users;
DROP TABLE units;
