DROP INDEX attempts_kind_submitted;
DROP INDEX certificates_issued;
DROP TABLE consents;
DROP TABLE confirmations;
DROP TABLE population_counts;
DROP TABLE unit_managers;
ALTER TABLE users DROP CONSTRAINT users_has_login;
ALTER TABLE users DROP COLUMN deleted_at, DROP COLUMN channel, DROP COLUMN registered_by,
    DROP COLUMN citizen_id_tail, DROP COLUMN citizen_id_hash, DROP COLUMN residence_unit_id,
    DROP COLUMN sex, DROP COLUMN username;
ALTER TABLE users ADD CONSTRAINT users_check CHECK (phone IS NOT NULL OR email IS NOT NULL);
