-- Lessons a learner has marked as done. Courses live in files, so they are named by slug.
CREATE TABLE lesson_progress (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_slug TEXT NOT NULL,
    lesson_slug TEXT NOT NULL,
    course_version TEXT NOT NULL,
    assisted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    completed_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, course_slug, lesson_slug)
);
