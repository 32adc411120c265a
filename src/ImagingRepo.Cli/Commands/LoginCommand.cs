using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using ImagingRepo.Client;
using ImagingRepo.Client.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo login</c>: the Client's device-code sign-in (<see cref="DeviceCodeTokenProvider"/>) for a person at a
/// terminal. It prints the verification URL and code on stderr, waits for the approval, keeps the tokens in the
/// Client's <see cref="FileTokenStore"/> (owner-only file) and saves the service and sign-in settings, never a token or
/// secret, to <see cref="ServiceConnection.SavedSettingsPath"/> so that later commands use them without options.
/// </summary>
internal static class LoginCommand
{
    /// <summary>The public client of the device flow a platform registers for the CLI, unless told otherwise.</summary>
    public const string DefaultClientId = "imagingrepo-cli";

    /// <summary>What the CLI asks for: a refresh token (so that a login lasts) and the dataset scopes.</summary>
    public const string DefaultScope = "openid offline_access datasets:read datasets:write";

    public static Command Create()
    {
        var authority = new Option<string?>("--authority") { Description = "The OpenID Connect issuer (default: ImagingRepo:SignIn:Authority, $IMAGINGREPO_SIGNIN__AUTHORITY, or the last login's)." };
        var clientId = new Option<string?>("--client-id") { Description = $"The device-flow client id (default: the settings', else {DefaultClientId})." };
        var scope = new Option<string?>("--scope") { Description = $"Scopes to ask for (default: the settings', else \"{DefaultScope}\")." };
        var resource = new Option<string?>("--resource") { Description = "The API's resource indicator, i.e. the tokens' audience (default: the settings')." };
        var command = new Command("login", "Sign in with the device-code flow: open the printed URL on any device, enter the code; the tokens are kept for later commands.")
        {
            authority, clientId, scope, resource,
        };
        ServiceOptions.AddTo(command);
        command.SetAction((parse, ct) => ServiceOptions.GuardAsync(parse, async () =>
        {
            using var services = ServiceConnection.Require(parse.GetValue(ServiceOptions.Service), parse.GetValue(ServiceOptions.Config), options =>
            {
                var signIn = options.SignIn;
                signIn.Flow = SignInFlow.DeviceCode;
                signIn.ClientSecret = null;
                if (parse.GetValue(authority) is { } named)
                {
                    signIn.Authority = Uri.TryCreate(named, UriKind.Absolute, out var uri) ? uri
                        : throw new ServiceSettingsException("--authority", $"'{named}' is not an absolute URL");
                }

                signIn.ClientId = parse.GetValue(clientId) ?? signIn.ClientId ?? DefaultClientId;
                signIn.Scope = parse.GetValue(scope) ?? signIn.Scope ?? DefaultScope;
                signIn.Resource = parse.GetValue(resource) ?? signIn.Resource;
                if (signIn.Authority is null)
                {
                    throw new ServiceSettingsException("--authority", "the identity provider is not named: give --authority URL or set ImagingRepo:SignIn:Authority");
                }
            });
            var options = services.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value;
            var provider = (DeviceCodeTokenProvider)services.GetRequiredService<IAccessTokenProvider>();
            var error = parse.InvocationConfiguration.Error;
            var tokens = await provider.SignInAsync(async (prompt, _) =>
            {
                await error.WriteLineAsync(prompt.ToString()).ConfigureAwait(false);
                if (prompt.VerificationUriComplete is { } complete)
                {
                    await error.WriteLineAsync($"Or open {complete.AbsoluteUri}").ConfigureAwait(false);
                }

                await error.WriteLineAsync("Waiting for the approval…").ConfigureAwait(false);
            }, ct).ConfigureAwait(false);

            await SaveSettingsAsync(options, ct).ConfigureAwait(false);
            var store = services.GetRequiredService<ITokenStore>() is FileTokenStore file ? file.Path : "the token store";
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"signed in to {tokens.Authority} as {tokens.ClientId}; tokens kept in {store}, settings in {ServiceConnection.SavedSettingsPath}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The endpoint and sign-in settings (no secret, no token), written owner-only to a temporary file and renamed into place.</summary>
    private static async Task SaveSettingsAsync(ImagingRepoClientOptions options, CancellationToken cancellationToken)
    {
        var signIn = new JsonObject
        {
            ["Flow"] = nameof(SignInFlow.DeviceCode),
            ["Authority"] = options.SignIn.Authority!.AbsoluteUri,
            ["ClientId"] = options.SignIn.ClientId,
        };
        if (options.SignIn.Scope is { } scope) signIn["Scope"] = scope;
        if (options.SignIn.Resource is { } resource) signIn["Resource"] = resource;
        var document = new JsonObject
        {
            [ImagingRepoClientOptions.SectionName] = new JsonObject { ["Endpoint"] = options.Endpoint!.AbsoluteUri, ["SignIn"] = signIn },
        };

        var path = ServiceConnection.SavedSettingsPath;
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            var stream = new FileStream(temporary, create);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(document.ToJsonString()), cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
