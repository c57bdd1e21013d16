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
        username -> Nullable<Text>,
        password_hash -> Text,
        birth_year -> Integer,
        sex -> Nullable<Text>,
        target_group -> Text,
        unit_id -> Nullable<BigInt>,
        residence_unit_id -> Nullable<BigInt>,
        citizen_id_hash -> Nullable<Text>,
        citizen_id_tail -> Nullable<Text>,
        role -> Text,
        active -> Bool,
        session_version -> Integer,
        must_change_password -> Bool,
        consent_version -> Nullable<Text>,
        consent_at -> Nullable<Timestamp>,
        registered_by -> Nullable<BigInt>,
        channel -> Text,
        deleted_at -> Nullable<Timestamp>,
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

diesel::table! {
    unit_managers (unit_id, user_id) {
        unit_id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    population_counts (id) {
        id -> BigInt,
        unit_id -> BigInt,
        population -> Text,
        as_of -> Date,
        count -> Integer,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    confirmations (id) {
        id -> BigInt,
        kind -> Text,
        user_id -> Nullable<BigInt>,
        unit_id -> Nullable<BigInt>,
        citizen_id_hash -> Nullable<Text>,
        confirmed_on -> Date,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        version -> Text,
        granted -> Bool,
        given_by -> Text,
        guardian_name -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(unit_managers -> units (unit_id));
diesel::joinable!(population_counts -> units (unit_id));
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
    unit_managers,
    population_counts,
    confirmations,
    consents,
);
