-- People for the reports and the people's tools: logins without phone or e-mail (rosters,
-- helpers), residence, sex, citizen ID as a keyed hash, who registered whom, erasure;
-- unit managers, population counts, VNeID confirmations, per-purpose consent.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    phone TEXT UNIQUE,
    email TEXT UNIQUE,
    username TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    sex TEXT,
    target_group TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    residence_unit_id BIGINT REFERENCES units(id),
    citizen_id_hash TEXT UNIQUE,
    citizen_id_tail TEXT,
    role TEXT NOT NULL DEFAULT 'learner',
    active BOOLEAN NOT NULL DEFAULT 1,
    session_version INTEGER NOT NULL DEFAULT 0,
    must_change_password BOOLEAN NOT NULL DEFAULT 0,
    consent_version TEXT,
    consent_at TIMESTAMP,
    registered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    channel TEXT NOT NULL DEFAULT 'self',
    deleted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (deleted_at IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL OR username IS NOT NULL)
);
INSERT INTO users_new (id, full_name, phone, email, password_hash, birth_year, target_group,
    unit_id, role, active, session_version, must_change_password, consent_version, consent_at,
    created_at, updated_at)
SELECT id, full_name, phone, email, password_hash, birth_year, target_group, unit_id, role,
    active, session_version, must_change_password, consent_version, consent_at, created_at,
    updated_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_unit_id ON users (unit_id);
CREATE INDEX users_residence_unit_id ON users (residence_unit_id);
CREATE INDEX users_role ON users (role);
CREATE INDEX users_registered_by ON users (registered_by);
CREATE INDEX users_group ON users (target_group);

-- Who manages which unit (a manager may have several; a unit several managers).
CREATE TABLE unit_managers (
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_id, user_id)
);
CREATE INDEX unit_managers_user ON unit_managers (user_id);

-- How many people each goal counts, per unit and population, as of a date.
CREATE TABLE population_counts (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    population TEXT NOT NULL,
    as_of DATE NOT NULL,
    count INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    UNIQUE (unit_id, population, as_of)
);

-- Confirmations imported from outside (VNeID). A confirmation names a learner when it could be
-- matched, otherwise the unit the person lives in; the citizen ID is only a keyed hash.
CREATE TABLE confirmations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    unit_id BIGINT REFERENCES units(id) ON DELETE SET NULL,
    citizen_id_hash TEXT,
    confirmed_on DATE NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX confirmations_user ON confirmations (kind, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX confirmations_citizen ON confirmations (kind, citizen_id_hash) WHERE citizen_id_hash IS NOT NULL;
CREATE INDEX confirmations_unit ON confirmations (kind, unit_id);

-- Consent per purpose, with the wording's version and time; a withdrawal is a new row.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    version TEXT NOT NULL,
    granted BOOLEAN NOT NULL,
    given_by TEXT NOT NULL,
    guardian_name TEXT,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX consents_user ON consents (user_id, purpose, at);

CREATE INDEX certificates_issued ON certificates (issued_at);
CREATE INDEX attempts_kind_submitted ON attempts (kind, submitted_at);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
