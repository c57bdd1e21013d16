-- Test attempts, certificates and the audit log of administrative actions.
CREATE TABLE attempts (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_slug TEXT NOT NULL,
    course_version TEXT NOT NULL,
    kind TEXT NOT NULL,
    seed BIGINT NOT NULL,
    questions TEXT NOT NULL,
    answers TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    deadline_at TIMESTAMP,
    submitted_at TIMESTAMP,
    score INTEGER,
    passed BOOLEAN,
    result TEXT,
    assisted_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX attempts_user_course ON attempts (user_id, course_slug, kind);
CREATE INDEX attempts_course_submitted ON attempts (course_slug, submitted_at);
-- At most one open attempt per learner, course and kind: a second start waits for the first.
CREATE UNIQUE INDEX attempts_one_open ON attempts (user_id, course_slug, kind) WHERE submitted_at IS NULL;

CREATE TABLE certificates (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    holder_name TEXT NOT NULL,
    course_slug TEXT NOT NULL,
    course_title TEXT NOT NULL,
    course_version TEXT NOT NULL,
    attempt_id BIGINT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    token TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT,
    revoked_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX certificates_user ON certificates (user_id);
CREATE INDEX certificates_course ON certificates (course_slug, issued_at);
-- Exactly one valid certificate per learner and course version; another after a revocation.
CREATE UNIQUE INDEX certificates_one_valid ON certificates (user_id, course_slug, course_version) WHERE revoked_at IS NULL;

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
