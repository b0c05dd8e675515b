// Every command the window may call, in one list (included by build.rs and commands.rs):
// commands.rs registers them, build.rs declares them in the app manifest so that each needs
// an `allow-` permission, and a test checks that capabilities/default.json grants exactly
// these (plus the benchmark's `ui_ready`). Call it with a macro that takes the names.
macro_rules! app_commands {
    ($with:ident) => {
        $with!(
            list_page,
            locate_credential,
            credential_names,
            create_credential,
            delete_credential,
            verify_credential,
            vault_status,
            audit_events,
            rotate_credential,
            credential_details,
            get_settings,
            set_settings,
            choose_import_file,
            import_preview,
            import_profiles,
            backup_vault,
            restore_preview,
            restore_apply,
            reset_vault,
            app_info,
            quit
        )
    };
}
