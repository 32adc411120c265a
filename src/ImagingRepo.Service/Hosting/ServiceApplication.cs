using System.Net;
using ImagingRepo.Service.Access;
using ImagingRepo.Service.Catalogue;
using ImagingRepo.Service.Creation.Integration;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Endpoints;
using ImagingRepo.Service.Eucaim;
using ImagingRepo.Service.Licenses;
using ImagingRepo.Service.Pids;
using ImagingRepo.Service.Projects;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Traces;
using ImagingRepo.Service.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// Builds the service: configuration and options (validated at start), storage, tracing, authentication, problem
/// details, OpenAPI, CORS, rate limits and the endpoint groups. <c>Program</c>, the tests and an application that hosts
/// the service in its own process (the Quickstart does) all start it from here: <see cref="Build"/>, then
/// <see cref="InitializeAsync"/>, then <c>StartAsync</c> or <c>RunAsync</c> on the application.
/// </summary>
public static partial class ServiceApplication
{
    /// <summary>Where an unconfigured service listens: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the application; <paramref name="configure"/> adjusts the builder first (tests add configuration and services there).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        if (string.IsNullOrEmpty(configuration["urls"]) && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        services.AddOptions<ServiceOptions>().Bind(configuration.GetSection(ServiceOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.DatasetLinkFormat.Contains("{0}", StringComparison.Ordinal), "ImagingRepo:Service:DatasetLinkFormat must contain {0} for the dataset id")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.Provider != StorageProvider.PostgreSql || !string.IsNullOrEmpty(o.PostgreSqlConnectionString),
                "ImagingRepo:Service:Storage:PostgreSqlConnectionString is required with the PostgreSql provider")
            .ValidateOnStart();
        services.AddOptions<PlatformAuthenticationOptions>().Bind(configuration.GetSection(PlatformAuthenticationOptions.SectionName))
            .Validate(o => o.EffectiveMode != PlatformAuthenticationMode.Oidc || (!string.IsNullOrEmpty(o.Authority) && !string.IsNullOrEmpty(o.Audience)),
                "ImagingRepo:Service:Authentication needs Authority and Audience for OIDC")
            .ValidateOnStart();

        var serviceOptions = configuration.GetSection(ServiceOptions.SectionName).Get<ServiceOptions>() ?? new ServiceOptions();
        var storageOptions = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var authOptions = configuration.GetSection(PlatformAuthenticationOptions.SectionName).Get<PlatformAuthenticationOptions>() ?? new PlatformAuthenticationOptions();
        var dataDirectory = serviceOptions.ResolvedDataDirectory;

        services.TryAddSingleton(TimeProvider.System);
        AddStorage(services, storageOptions, dataDirectory);
        services.AddServiceTracing(configuration, dataDirectory,
            storageOptions.Provider == StorageProvider.PostgreSql ? storageOptions.PostgreSqlConnectionString : null);
        services.AddSingleton<DatasetTraceRecorder>();
        services.AddSingleton<TraceForwarder>();
        services.AddSingleton<TraceApiService>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceForwarder>());

        services.AddSingleton<DatasetService>();
        services.AddSingleton<DatasetPatchService>();
        services.AddServicePids(configuration);
        services.AddServiceCatalogue(configuration);
        services.AddSingleton<DatasetMaintenanceService>();
        services.AddSingleton<IDatasetCreationStore, DatasetCreationStore>();
        // With a data lake configured the durable creation pipeline (Creation/) is the creation queue; without one, or when a
        // test registers its own first, the pass-through stands in (and for the maintenance operations still).
        services.AddServiceCreation(configuration, dataDirectory, storageOptions, serviceOptions.CallerId);
        services.TryAddSingleton<PassThroughDatasetCreation>();
        services.TryAddSingleton<IDatasetCreationQueue>(sp => sp.GetRequiredService<PassThroughDatasetCreation>());
        services.TryAddSingleton<IDatasetMaintenance>(sp => sp.GetRequiredService<PassThroughDatasetCreation>());
        services.AddSingleton<AccessService>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<ProjectLogoStore>();
        services.AddSingleton<UserService>();
        services.AddIdentityDirectory(configuration);
        services.TryAddSingleton<IIdentityDirectory, EmbeddedIdentityDirectory>();
        services.AddSingleton<LicenseService>();
        services.AddSingleton<EucaimSearchService>();
        services.AddSingleton<PlatformUserReader>();

        AddAuthentication(services, authOptions);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsShape.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Default);
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            // Numbers are numbers: "42" is not accepted for an integer, and the OpenAPI document types them as integers only.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.AddOpenApi("v1", o => o.AddDocumentTransformer<OpenApiPathsTransformer>());
        services.AddCors(o => o.AddDefaultPolicy(policy =>
        {
            var origins = serviceOptions.CorsOrigins ?? [];
            if (origins.Length > 0) policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "Location");
        }));
        services.AddRateLimiter(ServiceRateLimits.Configure);

        var app = builder.Build();
        Configure(app, serviceOptions, authOptions);
        return app;
    }

    /// <summary>Applies the database migrations and checks what must hold before the service answers.</summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        var auth = app.Services.GetRequiredService<IOptions<PlatformAuthenticationOptions>>().Value;
        if (auth.EffectiveMode == PlatformAuthenticationMode.Development)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImagingRepo.Service.DevelopmentMode");
            LogInsecure(logger, auth.DevelopmentUserHeader, auth.DevelopmentRolesHeader);
            app.Lifetime.ApplicationStarted.Register(() => RefuseRemoteAddresses(app, logger));
        }
    }

    private static void AddStorage(IServiceCollection services, StorageOptions storage, string dataDirectory)
    {
        services.AddSingleton<Database>(_ => storage.Provider == StorageProvider.PostgreSql
            ? new PostgreSqlDatabase(storage.PostgreSqlConnectionString!)
            : new SqliteDatabase(storage.SqlitePath is { Length: > 0 } path ? path : Path.Combine(dataDirectory, "service.db")));
        services.AddSingleton<IMigrationSource, ServiceMigrations>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<DatasetRepository>();
        services.AddSingleton<DatasetListIndex>();
        services.AddSingleton<StudyRepository>();
        services.AddSingleton<AclRepository>();
        services.AddSingleton<ProjectRepository>();
        services.AddSingleton<UserRepository>();
        services.AddSingleton<LicenseRepository>();
        services.AddSingleton<DatasetAccessRepository>();
        services.AddSingleton<CreationStatusRepository>();
        services.AddSingleton<PendingTraceRepository>();
        services.AddSingleton<EucaimSearchRepository>();
    }

    private static void AddAuthentication(IServiceCollection services, PlatformAuthenticationOptions auth)
    {
        if (auth.EffectiveMode == PlatformAuthenticationMode.Development)
        {
            services.AddAuthentication(PlatformUserReader.DevelopmentScheme)
                .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(PlatformUserReader.DevelopmentScheme, null);
        }
        else
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<PlatformAuthenticationOptions>>((jwt, platform) =>
            {
                var o = platform.Value;
                jwt.Authority = o.Authority;
                jwt.Audience = o.Audience;
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = o.RequireHttpsMetadata ?? !IsLoopback(o.Authority);
                jwt.TokenValidationParameters.ValidAudience = o.Audience;
                jwt.TokenValidationParameters.ClockSkew = o.ClockSkew;
                jwt.TokenValidationParameters.NameClaimType = o.UserNameClaim;
            });
        }

        services.AddAuthorization();
    }

    private static void Configure(WebApplication app, ServiceOptions options, PlatformAuthenticationOptions auth)
    {
        if (options.PathBase is { Length: > 0 } pathBase) app.UsePathBase(pathBase);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (auth.EffectiveMode == PlatformAuthenticationMode.Development) app.UseMiddleware<LoopbackOnlyMiddleware>();
        app.UseCors();
        app.UseAuthentication();
        app.UseMiddleware<CurrentUserMiddleware>();
        app.UseRateLimiter();

        app.MapRootHealth();
        var api = app.MapGroup("/api");
        api.MapOpenApi("/openapi/{documentName}.json");
        api.MapHealth();
        api.MapDatasets();
        api.MapStudies();
        api.MapAccess();
        api.MapProjects();
        api.MapUsers();
        api.MapLicenses();
        api.MapEucaim();
        api.MapTraces();
        api.MapCatalogue();
    }

    private static bool IsLoopback(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>Development mode must not be reachable from the network: stop when bound to anything but loopback.</summary>
    private static void RefuseRemoteAddresses(WebApplication app, ILogger logger)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var remote = addresses.Where(a => !IsLoopback(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal))).ToList();
        if (remote.Count == 0) return;
        LogRemoteRefused(logger, string.Join(", ", remote));
        app.Lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "INSECURE DEVELOPMENT MODE: no OIDC authority is configured, so any local caller may name any user and roles with the headers {UserHeader} and {RolesHeader}. Configure ImagingRepo:Service:Authentication:Authority and Audience for real use.")]
    private static partial void LogInsecure(ILogger logger, string userHeader, string rolesHeader);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Development mode listens only on loopback, but the service is bound to {Addresses}; stopping.")]
    private static partial void LogRemoteRefused(ILogger logger, string addresses);
}
