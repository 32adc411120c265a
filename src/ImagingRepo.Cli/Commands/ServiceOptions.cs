using System.CommandLine;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// The options and error handling of the commands that talk to the dataset service (<c>datasets</c>, <c>upload</c>):
/// where the service is (<see cref="ServiceConnection"/>), and the library's typed refusals turned into one line on
/// stderr and an exit code (docs/cli.md).
/// </summary>
internal static class ServiceOptions
{
    /// <summary>Exit code of a dataset (or other resource) that does not exist or that the caller may not see.</summary>
    public const int NotFound = 3;

    /// <summary>Exit code of a refusal: not signed in, not allowed, or the dataset's state does not allow it.</summary>
    public const int Refused = 4;

    public static readonly Option<string?> Service = new("--service")
    {
        Description = "The dataset service API root (default: $IMAGINGREPO_SERVICE_URL, then ImagingRepo:Endpoint in --config, then the last `imagingrepo login`). " +
                      "Sign-in: the last login's tokens, or ImagingRepo:SignIn in --config, or IMAGINGREPO_SIGNIN__FLOW, __AUTHORITY, __CLIENTID, __CLIENTSECRET, __RESOURCE.",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "JSON settings file with an ImagingRepo section (Endpoint, SignIn, Resilience, DataLake …), as an application's appsettings.",
        Recursive = true,
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Service);
        command.Options.Add(Config);
    }

    /// <summary>Runs <paramref name="body"/> with the client's services, mapping the library's exceptions to messages and exit codes.</summary>
    public static Task<int> RunAsync(ParseResult parse, Func<ServiceProvider, Task<int>> body) =>
        GuardAsync(parse, async () =>
        {
            using var services = ServiceConnection.Require(parse.GetValue(Service), parse.GetValue(Config));
            return await body(services).ConfigureAwait(false);
        });

    /// <summary>Runs <paramref name="body"/>, mapping the library's exceptions to messages and exit codes.</summary>
    public static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ServiceSettingsException e)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return CliInvocation.UsageError;
        }
        catch (ResourceNotFoundException e)
        {
            await error.WriteLineAsync("error: not found: " + Detail(e)).ConfigureAwait(false);
            return NotFound;
        }
        catch (Exception e) when (e is AccessDeniedException or AuthenticationRequiredException or StateConflictException)
        {
            await error.WriteLineAsync($"error: refused ({(int)((ImagingRepoRequestException)e).Status}): {Detail((ImagingRepoRequestException)e)}").ConfigureAwait(false);
            return Refused;
        }
        catch (SignInRequiredException e)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return Refused;
        }
        catch (ImagingRepoRequestException e)
        {
            await error.WriteLineAsync($"error: the dataset service answered {(int)e.Status} {e.Status}: {Detail(e)}").ConfigureAwait(false);
            return 1;
        }
        catch (SignInException e)
        {
            await error.WriteLineAsync("error: cannot sign in: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync("error: cannot reach the dataset service: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
    }

    private static string Detail(ImagingRepoRequestException e) => e.Problem?.Detail ?? e.Problem?.Title ?? e.Message;
}
