-- People for the reports and the people's tools: logins without phone or e-mail (rosters,
-- helpers), residence, sex, citizen ID as a keyed hash, who registered whom, erasure;
-- unit managers, population counts, VNeID confirmations, per-purpose consent.
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users
    ADD COLUMN username TEXT UNIQUE,
    ADD COLUMN sex TEXT,
    ADD COLUMN residence_unit_id BIGINT REFERENCES units(id),
    ADD COLUMN citizen_id_hash TEXT UNIQUE,
    ADD COLUMN citizen_id_tail TEXT,
    ADD COLUMN registered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    ADD COLUMN channel TEXT NOT NULL DEFAULT 'self',
    ADD COLUMN deleted_at TIMESTAMP,
    ADD CONSTRAINT users_has_login
        CHECK (deleted_at IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL OR username IS NOT NULL);
CREATE INDEX users_residence_unit_id ON users (residence_unit_id);
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
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
