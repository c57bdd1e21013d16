DROP INDEX users_report;
DROP INDEX attempts_scores;
DROP INDEX confirmations_kind_user;
DROP INDEX attempts_assisted;
DROP INDEX lesson_progress_assisted;
DROP INDEX certificates_goal;
