-- What the cohort report counts, kept per learner so that a report reads one narrow table
-- instead of aggregating every certificate, confirmation and attempt each time.
-- report_facts: a row per (learner, goal of the plan) the learner counts toward, from the day
-- they start counting (never-revoked holders only; holders with a revocation are counted one
-- by one). score_facts: a row per (learner, course) with their pre-test and final sums.
-- Statement triggers mark the learners whose rows changed dirty (one insert per statement,
-- so bulk imports stay fast); the report refreshes them before it reads
-- (src/reports/facts.rs).
CREATE TABLE report_facts (
    user_id BIGINT NOT NULL,
    goal INTEGER NOT NULL,
    unit_id BIGINT,
    -- The learner's group: its position in groups::Group::ALL, 4 when unknown.
    grp INTEGER NOT NULL,
    birth_year INTEGER NOT NULL,
    sex SMALLINT NOT NULL,
    assisted SMALLINT NOT NULL,
    -- Days since 1970-01-01 (integers compare and group fastest); the month as year × 12 + month.
    from_day INTEGER NOT NULL,
    from_month INTEGER NOT NULL,
    PRIMARY KEY (user_id, goal)
);
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
);
CREATE INDEX score_facts_last_day ON score_facts (last_day);

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
);

CREATE TABLE report_dirty (user_id BIGINT PRIMARY KEY);

-- The plan the facts were built for; another plan rebuilds them.
CREATE TABLE report_state (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    built_at TIMESTAMP NOT NULL
);

CREATE FUNCTION report_dirty_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT DISTINCT user_id FROM new_rows WHERE user_id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT DISTINCT user_id FROM old_rows WHERE user_id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT user_id FROM new_rows WHERE user_id IS NOT NULL
    UNION SELECT user_id FROM old_rows WHERE user_id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Attempts change with every saved answer: only a change the report sees marks the learner.
CREATE FUNCTION report_dirty_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT n.user_id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.user_id, n.course_slug, n.kind, n.submitted_at, n.score, n.assisted_by)
          IS DISTINCT FROM (o.user_id, o.course_slug, o.kind, o.submitted_at, o.score, o.assisted_by)
    UNION
    SELECT o.user_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.user_id <> n.user_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_assisted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT DISTINCT user_id FROM new_rows WHERE assisted_by IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.target_group, n.unit_id, n.residence_unit_id, n.birth_year, n.sex, n.channel)
          IS DISTINCT FROM (o.target_group, o.unit_id, o.residence_unit_id, o.birth_year, o.sex, o.channel)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_users_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id) SELECT id FROM old_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Adults are placed in their work unit when it is a tổ dân phố: a unit's kind places them.
CREATE FUNCTION report_dirty_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (user_id)
    SELECT u.id FROM users u
    JOIN new_rows n ON n.id = u.unit_id JOIN old_rows o ON o.id = n.id
    WHERE n.kind IS DISTINCT FROM o.kind
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER certificates_report_insert AFTER INSERT ON certificates
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_new();
CREATE TRIGGER certificates_report_update AFTER UPDATE ON certificates
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_both();
CREATE TRIGGER certificates_report_delete AFTER DELETE ON certificates
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_old();

CREATE TRIGGER confirmations_report_insert AFTER INSERT ON confirmations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_new();
CREATE TRIGGER confirmations_report_update AFTER UPDATE ON confirmations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_both();
CREATE TRIGGER confirmations_report_delete AFTER DELETE ON confirmations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_old();

CREATE TRIGGER attempts_report_insert AFTER INSERT ON attempts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_new();
CREATE TRIGGER attempts_report_update AFTER UPDATE ON attempts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_attempts();
CREATE TRIGGER attempts_report_delete AFTER DELETE ON attempts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_old();

CREATE TRIGGER lesson_progress_report_insert AFTER INSERT ON lesson_progress
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_assisted();
CREATE TRIGGER lesson_progress_report_update AFTER UPDATE ON lesson_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_both();
CREATE TRIGGER lesson_progress_report_delete AFTER DELETE ON lesson_progress
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_old();

CREATE TRIGGER users_report_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_users();
CREATE TRIGGER users_report_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_users_deleted();

CREATE TRIGGER units_report_kind AFTER UPDATE ON units
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_units();
