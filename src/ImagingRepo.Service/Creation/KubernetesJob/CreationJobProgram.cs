using System.Runtime.InteropServices;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Service.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Creation.KubernetesJob;

/// <summary>
/// <c>ImagingRepo.Service creation-job</c>: the body of a creation Job. Configured as the service is (same settings,
/// same databases), it runs the queued creations one after the other and exits 0 when none is left; on SIGTERM (the
/// pod is stopped) it gives the running one back, for the next Job or the restarted pod to resume.
/// </summary>
internal static partial class CreationJobProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var app = ServiceApplication.Build(args);
        await using (app.ConfigureAwait(false))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CreationJobProgram).FullName!);
            var drain = app.Services.GetService<DatasetCreationDrain>();
            if (drain is null)
            {
                LogNotConfigured(logger);
                return 2;
            }

            using var stopping = new CancellationTokenSource();
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stopping.Cancel();
            });
            await drain.RunUntilIdleAsync(stopping.Token).ConfigureAwait(false);
            return stopping.IsCancellationRequested ? 143 : 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "creation-job: no data lake is configured (ImagingRepo:Creation:DataLakePath), so there is no creation to run")]
    private static partial void LogNotConfigured(ILogger logger);
}
