-- Indexes for the cohort report's aggregate queries: holders of a goal's certificates and
-- the test scores read from indexes alone, and the few assisted learners found without
-- scanning every lesson and attempt.
CREATE INDEX certificates_goal ON certificates (course_slug, user_id, issued_at, revoked_at);
CREATE INDEX lesson_progress_assisted ON lesson_progress (user_id) WHERE assisted_by IS NOT NULL;
CREATE INDEX attempts_assisted ON attempts (user_id) WHERE assisted_by IS NOT NULL;
CREATE INDEX confirmations_kind_user ON confirmations (kind, user_id, confirmed_on);
-- Pre-test and final scores without reading the attempts' questions and answers.
CREATE INDEX attempts_scores ON attempts (kind, user_id, course_slug, score, submitted_at);
-- What the report needs of each learner, read without the account's wide row.
CREATE INDEX users_report ON users (id, target_group, unit_id, residence_unit_id, birth_year, sex, channel);
