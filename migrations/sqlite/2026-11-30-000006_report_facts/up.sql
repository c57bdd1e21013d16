-- What the cohort report counts, kept per learner so that a report reads one narrow table
-- instead of aggregating every certificate, confirmation and attempt each time.
-- report_facts: a row per (learner, goal of the plan) the learner counts toward, from the day
-- they start counting (never-revoked holders only; holders with a revocation are counted one
-- by one). score_facts: a row per (learner, course) with their pre-test and final sums.
-- Triggers mark a learner dirty when anything the facts depend on changes; the report
-- refreshes the dirty learners before it reads (src/reports/facts.rs).
CREATE TABLE report_facts (
    user_id BIGINT NOT NULL,
    goal INTEGER NOT NULL,
    unit_id BIGINT,
    -- The learner's group: its position in groups::Group::ALL, 4 when unknown.
    grp INTEGER NOT NULL,
    birth_year INTEGER NOT NULL,
    sex INTEGER NOT NULL,
    assisted INTEGER NOT NULL,
    -- Days since 1970-01-01 (integers compare and group fastest); the month as year × 12 + month.
    from_day INTEGER NOT NULL,
    from_month INTEGER NOT NULL,
    PRIMARY KEY (user_id, goal)
) WITHOUT ROWID;
CREATE INDEX report_facts_unit ON report_facts (unit_id);

CREATE TABLE score_facts (
    user_id BIGINT NOT NULL,
    course_slug TEXT NOT NULL,
    pre_n BIGINT NOT NULL,
    pre_sum BIGINT NOT NULL,
    pre_min INTEGER,
    fin_n BIGINT NOT NULL,
    fin_sum BIGINT NOT NULL,
    fin_best INTEGER,
    -- The day of the last attempt, in days since 1970-01-01.
    last_day INTEGER NOT NULL,
    PRIMARY KEY (user_id, course_slug)
) WITHOUT ROWID;
CREATE INDEX score_facts_last_day ON score_facts (last_day);
-- The sums per course read in course order from the index alone (SQLite would otherwise
-- sort every row by course first).
CREATE INDEX score_facts_course
    ON score_facts (course_slug, last_day, pre_n, pre_sum, pre_min, fin_n, fin_sum, fin_best);

-- Holders with a revoked certificate of a goal's courses, counted certificate by certificate:
-- a row per (learner, goal, certificate of the goal's courses) with the learner's placement as
-- in report_facts, and the days the certificate was issued and revoked.
CREATE TABLE report_revoked (
    user_id BIGINT NOT NULL,
    goal INTEGER NOT NULL,
    certificate_id BIGINT NOT NULL,
    unit_id BIGINT,
    grp INTEGER NOT NULL,
    birth_year INTEGER NOT NULL,
    sex INTEGER NOT NULL,
    assisted INTEGER NOT NULL,
    course_slug TEXT NOT NULL,
    issued_day INTEGER NOT NULL,
    revoked_day INTEGER,
    PRIMARY KEY (user_id, goal, certificate_id)
) WITHOUT ROWID;

CREATE TABLE report_dirty (user_id BIGINT PRIMARY KEY NOT NULL) WITHOUT ROWID;

-- The plan the facts were built for; another plan rebuilds them.
CREATE TABLE report_state (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    built_at TIMESTAMP NOT NULL
);

CREATE TRIGGER certificates_report_insert AFTER INSERT ON certificates
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id); END;
CREATE TRIGGER certificates_report_update AFTER UPDATE ON certificates
BEGIN
    INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id);
    INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id);
END;
CREATE TRIGGER certificates_report_delete AFTER DELETE ON certificates
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id); END;

CREATE TRIGGER confirmations_report_insert AFTER INSERT ON confirmations
WHEN NEW.user_id IS NOT NULL
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id); END;
CREATE TRIGGER confirmations_report_update AFTER UPDATE ON confirmations
BEGIN
    INSERT OR IGNORE INTO report_dirty (user_id) SELECT OLD.user_id WHERE OLD.user_id IS NOT NULL;
    INSERT OR IGNORE INTO report_dirty (user_id) SELECT NEW.user_id WHERE NEW.user_id IS NOT NULL;
END;
CREATE TRIGGER confirmations_report_delete AFTER DELETE ON confirmations
WHEN OLD.user_id IS NOT NULL
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id); END;

CREATE TRIGGER attempts_report_insert AFTER INSERT ON attempts
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id); END;
CREATE TRIGGER attempts_report_update
AFTER UPDATE OF user_id, course_slug, kind, submitted_at, score, assisted_by ON attempts
BEGIN
    INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id);
    INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id);
END;
CREATE TRIGGER attempts_report_delete AFTER DELETE ON attempts
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id); END;

CREATE TRIGGER lesson_progress_report_insert AFTER INSERT ON lesson_progress
WHEN NEW.assisted_by IS NOT NULL
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id); END;
CREATE TRIGGER lesson_progress_report_update AFTER UPDATE OF user_id, assisted_by ON lesson_progress
BEGIN
    INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id);
    INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.user_id);
END;
CREATE TRIGGER lesson_progress_report_delete AFTER DELETE ON lesson_progress
WHEN OLD.assisted_by IS NOT NULL
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.user_id); END;

CREATE TRIGGER users_report_update
AFTER UPDATE OF target_group, unit_id, residence_unit_id, birth_year, sex, channel ON users
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (NEW.id); END;
CREATE TRIGGER users_report_delete AFTER DELETE ON users
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) VALUES (OLD.id); END;

-- Adults are placed in their work unit when it is a tổ dân phố: a unit's kind places them.
CREATE TRIGGER units_report_kind AFTER UPDATE OF kind ON units
BEGIN INSERT OR IGNORE INTO report_dirty (user_id) SELECT id FROM users WHERE unit_id = NEW.id; END;
