//! diesel's view of the tables in `migrations/`. Written by hand to the types both backends
//! share (Text, BigInt, Bool, Timestamp); a test checks it against the migrated database.

diesel::table! {
    tenants (id) {
        id -> Text,
        insurer_number -> Text,
        name -> Text,
        lockout_minutes -> BigInt,
        postcard_days -> BigInt,
        nightly_closure -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_hours -> Nullable<Text>,
        contact_url -> Nullable<Text>,
        two_step -> Text,
        medical_months -> BigInt,
    }
}

diesel::table! {
    terms_versions (id) {
        id -> Text,
        tenant_id -> Nullable<Text>,
        version -> Text,
        title -> Text,
        body -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    members (id) {
        id -> Text,
        tenant_id -> Text,
        member_code -> Text,
        family_name -> Text,
        given_name -> Text,
        family_name_kana -> Text,
        given_name_kana -> Text,
        birth_date -> Text,
        postal_code -> Text,
        address -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        member_id -> Text,
        state -> Text,
        user_id -> Nullable<Text>,
        user_id_canonical -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        email -> Nullable<Text>,
        email_verified -> Bool,
        notify_on_update -> Bool,
        failed_attempts -> BigInt,
        locked_until -> Nullable<Timestamp>,
        session_version -> BigInt,
        last_login_at -> Nullable<Timestamp>,
        previous_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        notify_on_login -> Bool,
    }
}

diesel::table! {
    temporary_credentials (id) {
        id -> Text,
        account_id -> Text,
        login_id -> Nullable<Text>,
        password_hash -> Text,
        purpose -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    terms_acceptances (id) {
        id -> Text,
        account_id -> Text,
        terms_version -> Text,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        tenant_id -> Nullable<Text>,
        member_code -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        detail -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Text,
        message_id -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    maintenance_windows (id) {
        id -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_requests (id) {
        id -> Text,
        kind -> Text,
        email -> Text,
        birth_date -> Nullable<Text>,
        user_id -> Nullable<Text>,
        client -> Text,
        requested_at -> Timestamp,
        processed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    totp_factors (account_id) {
        account_id -> Text,
        sealed_secret -> Text,
        confirmed_at -> Nullable<Timestamp>,
        last_used_step -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        account_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_codes (id) {
        id -> Text,
        account_id -> Text,
        code_hash -> Text,
        sent_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    remembered_devices (id) {
        id -> Text,
        account_id -> Text,
        token_hash -> Text,
        browser -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_history (id) {
        id -> Text,
        account_id -> Text,
        at -> Timestamp,
        outcome -> Text,
        method -> Text,
        address -> Text,
        browser -> Text,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Text,
        account_id -> Text,
        user_handle -> Text,
        credential_id -> Text,
        credential -> Text,
        sign_count -> BigInt,
        name -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    passkey_challenges (id) {
        id -> Text,
        purpose -> Text,
        account_id -> Nullable<Text>,
        state -> Text,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(accounts -> members (member_id));
diesel::joinable!(members -> tenants (tenant_id));
diesel::joinable!(temporary_credentials -> accounts (account_id));

diesel::table! {
    throttle_counters (key) {
        key -> Text,
        window_started_at -> Timestamp,
        hits -> BigInt,
    }
}

diesel::table! {
    email_verifications (id) {
        id -> Text,
        account_id -> Text,
        email -> Text,
        secret_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    terms_versions,
    members,
    accounts,
    temporary_credentials,
    terms_acceptances,
    audit_events,
    email_outbox,
    maintenance_windows,
    throttle_counters,
    email_verifications,
    recovery_requests,
    totp_factors,
    recovery_codes,
    email_codes,
    remembered_devices,
    login_history,
    passkeys,
    passkey_challenges,
);

// お知らせ (notices): DESIGN §10, ADR 0021.
diesel::table! {
    notices (id) {
        id -> Text,
        tenant_id -> Text,
        title -> Text,
        body -> Text,
        publish_at -> Timestamp,
        important -> Bool,
        withdrawn_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        fanout_cursor -> Text,
        fanned_out_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notice_reads (notice_id, account_id) {
        notice_id -> Text,
        account_id -> Text,
        read_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(notices, notice_reads);
// The unread count joins the account to its tenant's notices (`notices::unread_query!`).
diesel::allow_tables_to_appear_in_same_query!(notices, members);
diesel::allow_tables_to_appear_in_same_query!(notices, accounts);
diesel::allow_tables_to_appear_in_same_query!(notice_reads, members);
diesel::allow_tables_to_appear_in_same_query!(notice_reads, accounts);
// … inside the member's page, which also joins the tenant (`reads::page_query!`).
diesel::allow_tables_to_appear_in_same_query!(notices, tenants);
diesel::allow_tables_to_appear_in_same_query!(notice_reads, tenants);

// 医療費のお知らせ (medical expenses): DESIGN §10, ADR 0022.
diesel::table! {
    medical_expenses (id) {
        id -> BigInt,
        tenant_id -> Text,
        member_id -> Text,
        import_id -> Text,
        service_month -> BigInt,
        patient_name -> Text,
        relationship -> Text,
        provider_name -> Text,
        category -> Text,
        days -> BigInt,
        total_cost -> BigInt,
        paid_amount -> BigInt,
        public_paid -> BigInt,
        reimbursed_amount -> BigInt,
    }
}

diesel::table! {
    medical_imports (id) {
        id -> Text,
        tenant_id -> Text,
        file_name -> Text,
        months -> Text,
        rows_imported -> BigInt,
        households -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(medical_expenses, medical_imports);
