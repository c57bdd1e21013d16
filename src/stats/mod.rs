//! Statistics for teachers: per course and per question, from submitted attempts.
