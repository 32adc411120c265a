using ImagingRepo.Client;
using ImagingRepo.Client.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// How every command that talks to the dataset service finds it and signs in: the client's own
/// <c>AddImagingRepoClient</c> over the settings of, lowest first, what <c>imagingrepo login</c> saved
/// (<see cref="SavedSettingsPath"/>), the <c>ImagingRepo</c> section of <c>--config</c>, and <c>IMAGINGREPO_</c>
/// variables; the endpoint named by <c>--service</c> or <c>$IMAGINGREPO_SERVICE_URL</c> wins over all of them.
/// </summary>
internal static class ServiceConnection
{
    /// <summary><c>~/.imagingrepo/cli.json</c>, beside the token store: the service and sign-in settings of the last <c>imagingrepo login</c> (no secrets).</summary>
    public static string SavedSettingsPath { get; } = Path.Combine(Path.GetDirectoryName(FileTokenStore.DefaultPath)!, "cli.json");

    /// <summary>The <c>ImagingRepo</c> settings, the layers merged (the variables winning).</summary>
    /// <param name="config">The <c>--config</c> file, or null.</param>
    public static IConfiguration Settings(FileInfo? config)
    {
        var saved = new ConfigurationBuilder();
        if (File.Exists(SavedSettingsPath)) saved.AddJsonFile(SavedSettingsPath, optional: true, reloadOnChange: false);
        var file = new ConfigurationBuilder();
        if (config is not null)
        {
            try
            {
                file.AddJsonFile(config.FullName, optional: false, reloadOnChange: false);
                _ = file.Build();
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
            {
                throw new ServiceSettingsException("--config", $"{config.Name}: {e.Message}", e);
            }
        }

        return new ConfigurationBuilder()
            .AddConfiguration(saved.Build().GetSection(ImagingRepoClientOptions.SectionName))
            .AddConfiguration(file.Build().GetSection(ImagingRepoClientOptions.SectionName))
            .AddConfiguration(new ConfigurationBuilder().AddEnvironmentVariables("IMAGINGREPO_").Build())
            .Build();
    }

    /// <summary>The endpoint: <paramref name="service"/>, then <c>$IMAGINGREPO_SERVICE_URL</c>, then the settings' <c>Endpoint</c>; null when none is named.</summary>
    /// <exception cref="ServiceSettingsException">The named endpoint is not an http(s) URL.</exception>
    public static Uri? Endpoint(string? service, IConfiguration settings)
    {
        var named = service is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("IMAGINGREPO_SERVICE_URL") is { Length: > 0 } variable ? variable
            : settings["Endpoint"];
        if (string.IsNullOrEmpty(named)) return null;
        if (!Uri.TryCreate(named, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            throw new ServiceSettingsException("--service", $"'{named}' is not an http(s) URL of the dataset service's API root");
        }

        return endpoint;
    }

    /// <summary>
    /// The client's services over the merged settings, validated as an application's are; null when no endpoint is
    /// named anywhere.
    /// </summary>
    /// <param name="service">The <c>--service</c> value, or null.</param>
    /// <param name="config">The <c>--config</c> file, or null.</param>
    /// <param name="adjust">Last changes to the options (the login command's own sign-in settings), or null.</param>
    /// <exception cref="ServiceSettingsException">A setting is wrong; the message names it.</exception>
    public static ServiceProvider? Create(string? service, FileInfo? config, Action<ImagingRepoClientOptions>? adjust = null)
    {
        var settings = Settings(config);
        if (Endpoint(service, settings) is not { } endpoint) return null;
        var services = new ServiceCollection()
            .AddImagingRepoClient(settings, options =>
            {
                options.Endpoint = endpoint;
                adjust?.Invoke(options);
            })
            .BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value;
            return services;
        }
        catch (OptionsValidationException e)
        {
            services.Dispose();
            throw new ServiceSettingsException("--service", $"the dataset service settings: {string.Join("; ", e.Failures)}", e);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key whose value does not convert.
            services.Dispose();
            throw new ServiceSettingsException("--service", $"the dataset service settings: {e.Message}", e);
        }
    }

    /// <summary>As <see cref="Create"/>, refusing when no endpoint is named.</summary>
    public static ServiceProvider Require(string? service, FileInfo? config, Action<ImagingRepoClientOptions>? adjust = null) =>
        Create(service, config, adjust)
        ?? throw new ServiceSettingsException("--service",
            "no dataset service is named: give --service URL, set $IMAGINGREPO_SERVICE_URL or ImagingRepo:Endpoint in --config, or run imagingrepo login --service URL");
}

/// <summary>A service or sign-in setting of the CLI is missing or wrong; the message starts with the option to fix.</summary>
internal sealed class ServiceSettingsException(string option, string message, Exception? inner = null) : Exception($"{option}: {message}", inner)
{
    /// <summary>The option (or variable) to fix.</summary>
    public string Option { get; } = option;
}
