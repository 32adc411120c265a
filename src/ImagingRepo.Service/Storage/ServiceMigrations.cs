namespace ImagingRepo.Service.Storage;

/// <summary>
/// The service's own tables. The SQL is the common ground of SQLite and PostgreSQL: TEXT, BIGINT, INTEGER and BOOLEAN
/// columns, times as Unix milliseconds, lists as JSON text. Append new migrations; never edit an applied one.
/// </summary>
internal sealed class ServiceMigrations : IMigrationSource
{
    public const string Component = "service";

    public IEnumerable<Migration> Migrations { get; } =
    [
        new(Component, 1, "projects, users, sites, licenses, datasets, studies, ACL, accesses, creation status, pending traces",
        [
            """
            CREATE TABLE projects (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                short_description TEXT NOT NULL DEFAULT '',
                external_url TEXT NOT NULL DEFAULT '',
                logo_url TEXT NOT NULL DEFAULT '',
                default_contact_info TEXT NOT NULL DEFAULT '',
                default_license_title TEXT NOT NULL DEFAULT '',
                default_license_url TEXT NOT NULL DEFAULT '',
                zenodo_access_token TEXT NOT NULL DEFAULT '',
                zenodo_author TEXT NOT NULL DEFAULT '',
                zenodo_community TEXT NOT NULL DEFAULT '',
                zenodo_grant TEXT NOT NULL DEFAULT '')
            """,
            """
            CREATE TABLE subprojects (
                project_code TEXT NOT NULL REFERENCES projects (code) ON DELETE CASCADE,
                code TEXT NOT NULL,
                name TEXT NOT NULL DEFAULT '',
                description TEXT NOT NULL DEFAULT '',
                external_id TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (project_code, code))
            """,
            """
            CREATE TABLE sites (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                country TEXT NOT NULL,
                url TEXT NOT NULL DEFAULT '',
                contact_name TEXT NOT NULL DEFAULT '',
                contact_email TEXT NOT NULL DEFAULT '')
            """,
            """
            CREATE TABLE users (
                username TEXT PRIMARY KEY,
                uid TEXT,
                gid INTEGER UNIQUE,
                name TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                site_code TEXT,
                roles TEXT NOT NULL DEFAULT '[]',
                projects TEXT NOT NULL DEFAULT '[]',
                disabled BOOLEAN NOT NULL DEFAULT FALSE,
                email_verified BOOLEAN NOT NULL DEFAULT FALSE,
                creation_date BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX users_uid ON users (uid)",
            "CREATE TABLE licenses (ordinal INTEGER PRIMARY KEY, title TEXT NOT NULL, url TEXT NOT NULL)",
            """
            INSERT INTO licenses (ordinal, title, url) VALUES
                (1, 'CC BY 4.0', 'https://creativecommons.org/licenses/by/4.0/'),
                (2, 'CC BY-SA 4.0', 'https://creativecommons.org/licenses/by-sa/4.0/'),
                (3, 'CC BY-NC 4.0', 'https://creativecommons.org/licenses/by-nc/4.0/'),
                (4, 'CC BY-NC-SA 4.0', 'https://creativecommons.org/licenses/by-nc-sa/4.0/'),
                (5, 'CC BY-NC-ND 4.0', 'https://creativecommons.org/licenses/by-nc-nd/4.0/'),
                (6, 'CC0 1.0', 'https://creativecommons.org/publicdomain/zero/1.0/')
            """,
            """
            CREATE TABLE datasets (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                version TEXT NOT NULL DEFAULT '',
                project TEXT NOT NULL REFERENCES projects (code),
                subproject TEXT NOT NULL DEFAULT '',
                previous_id TEXT,
                next_id TEXT,
                author_id TEXT NOT NULL,
                author_name TEXT NOT NULL,
                author_email TEXT NOT NULL DEFAULT '',
                creation_date BIGINT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                provenance TEXT NOT NULL DEFAULT '',
                purpose TEXT NOT NULL DEFAULT '',
                types TEXT NOT NULL DEFAULT '[]',
                collection_methods TEXT NOT NULL DEFAULT '[]',
                tags TEXT NOT NULL DEFAULT '[]',
                license_title TEXT NOT NULL DEFAULT '',
                license_url TEXT NOT NULL DEFAULT '',
                pid_preferred TEXT,
                pid_zenodo_doi TEXT,
                pid_custom TEXT,
                contact_info TEXT NOT NULL DEFAULT '',
                draft BOOLEAN NOT NULL,
                creating BOOLEAN NOT NULL,
                is_public BOOLEAN NOT NULL DEFAULT FALSE,
                public_use BOOLEAN NOT NULL DEFAULT FALSE,
                invalidated BOOLEAN NOT NULL DEFAULT FALSE,
                invalidation_reason TEXT,
                external BOOLEAN NOT NULL DEFAULT FALSE,
                corrupted BOOLEAN NOT NULL DEFAULT FALSE,
                last_integrity_check BIGINT,
                studies_count INTEGER NOT NULL DEFAULT 0,
                subjects_count INTEGER NOT NULL DEFAULT 0,
                size_in_bytes BIGINT,
                metadata TEXT,
                times_used INTEGER NOT NULL DEFAULT 0,
                revision BIGINT NOT NULL DEFAULT 1)
            """,
            "CREATE INDEX datasets_creation_date ON datasets (creation_date)",
            "CREATE INDEX datasets_project ON datasets (project)",
            "CREATE INDEX datasets_previous_id ON datasets (previous_id)",
            """
            CREATE TABLE dataset_tags (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                PRIMARY KEY (dataset_id, tag))
            """,
            "CREATE INDEX dataset_tags_tag ON dataset_tags (tag)",
            """
            CREATE TABLE studies (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                study_id TEXT NOT NULL,
                study_name TEXT NOT NULL,
                subject_name TEXT NOT NULL,
                path_in_datalake TEXT NOT NULL,
                series TEXT NOT NULL DEFAULT '[]',
                url TEXT NOT NULL DEFAULT '',
                size_in_bytes BIGINT,
                hash TEXT,
                metadata TEXT,
                PRIMARY KEY (dataset_id, ordinal))
            """,
            "CREATE INDEX studies_subject ON studies (dataset_id, subject_name)",
            """
            CREATE TABLE subjects (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                subject_name TEXT NOT NULL,
                subject_id TEXT NOT NULL DEFAULT '',
                eform TEXT,
                PRIMARY KEY (dataset_id, subject_name))
            """,
            """
            CREATE TABLE dataset_acl (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                username TEXT NOT NULL,
                PRIMARY KEY (dataset_id, username))
            """,
            """
            CREATE TABLE dataset_accesses (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                access_type TEXT NOT NULL,
                instance_name TEXT NOT NULL DEFAULT '',
                tool_name TEXT NOT NULL DEFAULT '',
                tool_version TEXT NOT NULL DEFAULT '',
                image TEXT NOT NULL DEFAULT '',
                resources_flavor TEXT NOT NULL DEFAULT '',
                command_line TEXT NOT NULL DEFAULT '',
                openchallenge_job_type TEXT NOT NULL DEFAULT '',
                creation_time BIGINT NOT NULL,
                start_time BIGINT,
                end_time BIGINT,
                end_status TEXT)
            """,
            """
            CREATE TABLE dataset_access_datasets (
                access_id TEXT NOT NULL REFERENCES dataset_accesses (id) ON DELETE CASCADE,
                dataset_id TEXT NOT NULL,
                PRIMARY KEY (access_id, dataset_id))
            """,
            "CREATE INDEX dataset_access_datasets_dataset ON dataset_access_datasets (dataset_id)",
            """
            CREATE TABLE creation_status (
                dataset_id TEXT PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                last_message TEXT NOT NULL DEFAULT '',
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE pending_traces (
                id TEXT PRIMARY KEY,
                trace TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
        ]),
        // The list's search and sort read these instead of lowering three columns of every dataset on every request; the
        // writes keep them with the same lower() (DatasetRepository), so what matches and how it sorts is unchanged.
        new(Component, 2, "datasets: lower-cased name, author name and search text for the list's search and sort",
        [
            "ALTER TABLE datasets ADD COLUMN name_key TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE datasets ADD COLUMN author_name_key TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE datasets ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
            "UPDATE datasets SET name_key = lower(name), author_name_key = lower(author_name), " +
            $"search_text = lower(name) || '{DatasetSearchText.Separator}' || lower(id) || '{DatasetSearchText.Separator}' || lower(author_name)",
        ]),
        // Every write to datasets counts this up in its transaction (DatasetRepository), so a service that holds the list
        // in memory (DatasetListIndex) learns with one read by key whether its copy is still the database's.
        new(Component, 3, "dataset_list_version: the counter every change to a dataset moves",
        [
            "CREATE TABLE dataset_list_version (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO dataset_list_version (id, value) VALUES (1, 1)",
        ]),
    ];
}
