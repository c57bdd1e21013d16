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

diesel::allow_tables_to_appear_in_same_query!(units, users, password_resets, lesson_progress);
