using ImagingRepo.Client;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.DependencyInjection;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Jobs;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Traces;
using ImagingRepo.Client.Users;
using ImagingRepo.Jobs.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the repository clients, sign-in and the data lake.</summary>
public static class ImagingRepoClientServiceCollectionExtensions
{
    /// <summary>The name of the HTTP client the area clients share (resilience, then the bearer token).</summary>
    public const string HttpClientName = "ImagingRepo";

    /// <summary>The name of the HTTP client that talks to the tracer (<c>ImagingRepo:Traces:Endpoint</c>).</summary>
    public const string TracerHttpClientName = "ImagingRepo.Tracer";

    /// <summary>The name of the HTTP client that talks to the identity provider.</summary>
    public const string IdentityHttpClientName = "ImagingRepo.Identity";

    /// <summary>
    /// Adds <see cref="DatasetsClient"/>, <see cref="AccessClient"/>, <see cref="ProjectsClient"/>, <see cref="UsersClient"/>,
    /// <see cref="RepositoryClient"/>, <see cref="TracesClient"/> (when <c>Traces:Endpoint</c> is set), the <see cref="IAccessTokenProvider"/> of the configured sign-in flow and the
    /// <see cref="IDataLakeStorage"/> and the jobs library's <see cref="IDatasetAccessGate"/>, <see cref="IDatasetAccessRecorder"/> and
    /// <see cref="IDatasetUseTraceSink"/> over the service, with <see cref="ImagingRepoClientOptions"/> bound from <paramref name="configuration"/>
    /// and validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>ImagingRepo</c> section.</param>
    public static IServiceCollection AddImagingRepoClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, configuration, null);
    }

    /// <summary>Adds the clients as <see cref="AddImagingRepoClient(IServiceCollection, IConfiguration)"/> does, with the options set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddImagingRepoClient(this IServiceCollection services, Action<ImagingRepoClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, configure);
    }

    /// <summary>Adds the clients with options bound from <paramref name="configuration"/>, then adjusted by <paramref name="configure"/> (secrets from a store).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>ImagingRepo</c> section.</param>
    /// <param name="configure">Further adjustments.</param>
    public static IServiceCollection AddImagingRepoClient(this IServiceCollection services, IConfiguration configuration, Action<ImagingRepoClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configuration, configure);
    }

    private static IServiceCollection AddCore(IServiceCollection services, IConfiguration? configuration, Action<ImagingRepoClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ImagingRepoClientOptions>();
        if (configuration is not null) builder.Bind(configuration);
        if (configure is not null) builder.Configure(configure);
        builder.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImagingRepoClientOptions>, ImagingRepoClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        AddSignIn(services);

        var http = services.AddHttpClient(HttpClientName, (sp, client) =>
        {
            client.BaseAddress = ClientHttp.WithTrailingSlash(Options(sp).Endpoint!);
            client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times calls out
        });
        // Outermost first: the resilience pipeline retries whole attempts, each of which gets a (fresh) token.
        http.AddResilienceHandler("ImagingRepo", (pipeline, context) =>
            pipeline.AddImagingRepoStrategies(context.ServiceProvider.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value.Resilience));
        http.AddHttpMessageHandler(sp => Options(sp).SignIn.Flow == SignInFlow.None
            ? new PassThroughHandler()
            : new BearerTokenHandler(sp.GetRequiredService<IAccessTokenProvider>(), sp.GetService<ILogger<BearerTokenHandler>>()));

        // The tracer is a service of its own: its own base address, the same resilience and tokens.
        var tracer = services.AddHttpClient(TracerHttpClientName, (sp, client) =>
        {
            client.BaseAddress = ClientHttp.WithTrailingSlash(Options(sp).Traces.Endpoint
                ?? throw new InvalidOperationException("ImagingRepo:Traces:Endpoint is not set: no tracer to talk to"));
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        tracer.AddResilienceHandler("ImagingRepo.Tracer", (pipeline, context) =>
            pipeline.AddImagingRepoStrategies(context.ServiceProvider.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value.Resilience));
        tracer.AddHttpMessageHandler(sp => Options(sp).SignIn.Flow == SignInFlow.None
            ? new PassThroughHandler()
            : new BearerTokenHandler(sp.GetRequiredService<IAccessTokenProvider>(), sp.GetService<ILogger<BearerTokenHandler>>()));
        services.TryAddTransient(sp => new TracesClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(TracerHttpClientName), Options(sp).Traces));

        services.TryAddTransient(sp => new DatasetsClient(Http(sp), Options(sp).Datasets, sp.GetRequiredService<TimeProvider>()));
        services.TryAddTransient(sp => new AccessClient(Http(sp), Options(sp).Access));
        services.TryAddTransient(sp => new ProjectsClient(Http(sp), Options(sp).Projects));
        services.TryAddTransient(sp => new UsersClient(Http(sp), Options(sp).Users));
        services.TryAddTransient(sp => new RepositoryClient(Http(sp), Options(sp), sp.GetRequiredService<TimeProvider>()));

        // What the jobs library asks of a dataset service (AddImagingRepoJobs): the access check, the access records and
        // their USE_DATASETS traces. One instance records and traces, since the service writes both together.
        services.TryAddSingleton<IDatasetAccessGate>(sp => new DatasetServiceAccessGate(sp.GetRequiredService<AccessClient>()));
        services.TryAddSingleton(sp => new DatasetServiceWorkloadAccess(sp.GetRequiredService<AccessClient>()));
        services.TryAddSingleton<IDatasetAccessRecorder>(sp => sp.GetRequiredService<DatasetServiceWorkloadAccess>());
        services.TryAddSingleton<IDatasetUseTraceSink>(sp => sp.GetRequiredService<DatasetServiceWorkloadAccess>());

        services.TryAddSingleton<IDataLakeStorage>(sp =>
        {
            var lake = Options(sp).DataLake;
            return lake.Kind == DataLakeKind.S3
                ? new S3DataLakeStorage(lake.S3, sp.GetService<ILogger<S3DataLakeStorage>>())
                : new LocalFolderDataLakeStorage(lake.LocalPath);
        });
        return services;
    }

    private static void AddSignIn(IServiceCollection services)
    {
        services.AddHttpClient(IdentityHttpClientName);
        services.TryAddSingleton<ITokenStore>(_ => new FileTokenStore(FileTokenStore.DefaultPath));
        services.TryAddSingleton(sp => new OidcDiscovery(Options(sp).SignIn,
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(IdentityHttpClientName)));
        services.TryAddSingleton<IAccessTokenProvider>(sp =>
        {
            var signIn = Options(sp).SignIn;
            var time = sp.GetRequiredService<TimeProvider>();
            var loggers = sp.GetService<ILoggerFactory>();
            HttpMessageInvoker IdentityHttp() => sp.GetRequiredService<IHttpClientFactory>().CreateClient(IdentityHttpClientName);
            return signIn.Flow switch
            {
                SignInFlow.ClientCredentials => new ClientCredentialsTokenProvider(IdentityHttp(), sp.GetRequiredService<OidcDiscovery>(), signIn, time,
                    loggers?.CreateLogger<ClientCredentialsTokenProvider>()),
                SignInFlow.DeviceCode => new DeviceCodeTokenProvider(IdentityHttp(), sp.GetRequiredService<OidcDiscovery>(), signIn,
                    sp.GetRequiredService<ITokenStore>(), time, loggers),
                SignInFlow.TokenFile => new TokenFileTokenProvider(signIn, time, loggers?.CreateLogger<TokenFileTokenProvider>()),
                _ => throw new InvalidOperationException("ImagingRepo:SignIn:Flow is None: no tokens are used, so none can be asked for"),
            };
        });
    }

    private static ImagingRepoClientOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value;

    private static HttpClient Http(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);

    /// <summary>Stands in for the bearer handler when the client calls anonymously.</summary>
    private sealed class PassThroughHandler : DelegatingHandler;
}
