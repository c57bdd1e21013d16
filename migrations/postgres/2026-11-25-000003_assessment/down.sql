DROP TABLE audit_log;
DROP TABLE certificates;
DROP TABLE attempts;
