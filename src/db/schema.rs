//! The one diesel schema shared by SQLite and PostgreSQL (see `migrations/`).

diesel::table! {
    units (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        full_name -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        password_hash -> Text,
        birth_year -> Integer,
        target_group -> Text,
        unit_id -> Nullable<BigInt>,
        role -> Text,
        active -> Bool,
        session_version -> Integer,
        must_change_password -> Bool,
        consent_version -> Nullable<Text>,
        consent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(password_resets -> users (user_id));

diesel::table! {
    lesson_progress (id) {
        id -> BigInt,
        user_id -> BigInt,
        course_slug -> Text,
        lesson_slug -> Text,
        course_version -> Text,
        assisted_by -> Nullable<BigInt>,
        completed_at -> Timestamp,
    }
}

diesel::table! {
    attempts (id) {
        id -> BigInt,
        user_id -> BigInt,
        course_slug -> Text,
        course_version -> Text,
        kind -> Text,
        seed -> BigInt,
        questions -> Text,
        answers -> Text,
        started_at -> Timestamp,
        deadline_at -> Nullable<Timestamp>,
        submitted_at -> Nullable<Timestamp>,
        score -> Nullable<Integer>,
        passed -> Nullable<Bool>,
        result -> Nullable<Text>,
        assisted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    certificates (id) {
        id -> BigInt,
        code -> Text,
        user_id -> BigInt,
        holder_name -> Text,
        course_slug -> Text,
        course_title -> Text,
        course_version -> Text,
        attempt_id -> BigInt,
        score -> Integer,
        issued_at -> Timestamp,
        token -> Text,
        fingerprint -> Text,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        revoked_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        subject -> Text,
        before_value -> Nullable<Text>,
        after_value -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::joinable!(certificates -> users (user_id));
diesel::joinable!(attempts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    units,
    users,
    password_resets,
    lesson_progress,
    attempts,
    certificates,
    audit_log,
);
