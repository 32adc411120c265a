using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// This test assembly run as a program: a service process with the creation worker, for the crash tests to kill. It
/// can hang at a chosen point (after writing a marker file, with its heartbeat still renewing the claim, as a busy
/// process would) or run until the operation ends.
/// </summary>
public static class CreationChildProcess
{
    public const string Command = "creation-child";

    /// <summary>Hangs at the first read of a file of the lake, after writing <c>reading</c>.</summary>
    public const string HangOnRead = "hang-on-read";

    /// <summary>Hangs right after the trace is recorded (before the operation is finished), after writing <c>recorded</c>.</summary>
    public const string HangAfterRecord = "hang-after-record";

    /// <summary>Runs until the operation is finished or in error, then exits 0.</summary>
    public const string UntilDone = "until-done";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [Command, var lakePath, var datasetsPath, var stateFolder, var mode, var datasetId])
        {
            await Console.Error.WriteLineAsync($"usage: {Command} LAKE DATASETS STATE {HangOnRead}|{HangAfterRecord}|{UntilDone} DATASET_ID");
            return 2;
        }

        var site = new CreationSite(lakePath, datasetsPath, stateFolder);
        void Mark(string name) => File.WriteAllText(Path.Combine(stateFolder, name), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var host = site.BuildHost("child-" + Environment.ProcessId, services =>
        {
            if (mode == HangOnRead) services.AddSingleton<IDataLake>(new HangingLake(new LocalFolderDataLake(lakePath), () => Mark("reading")));
            if (mode == HangAfterRecord)
            {
                services.AddSingleton<IDatasetCreationTraceRecorder>(sp =>
                    new HangingRecorder(new TraceStoreCreationRecorder(sp.GetRequiredService<TraceStoreProvider>()), () => Mark("recorded")));
            }
        });
        await host.StartAsync();
        await CreationSite.WaitForEndAsync(host.Services.GetRequiredService<IDatasetCreationStore>(), datasetId);
        await host.StopAsync();
        return 0;
    }

    private sealed class HangingLake(IDataLake inner, Action mark) : IDataLake
    {
        public ValueTask<DataLakeStudy?> FindStudyAsync(string pathInDatalake, CancellationToken cancellationToken = default) => inner.FindStudyAsync(pathInDatalake, cancellationToken);

        public ValueTask<DataLakeSeries?> FindSeriesAsync(DataLakeStudy study, string folderName, CancellationToken cancellationToken = default) =>
            inner.FindSeriesAsync(study, folderName, cancellationToken);

        public async ValueTask<Stream> OpenReadAsync(DataLakeFile file, CancellationToken cancellationToken = default)
        {
            mark();
            await Task.Delay(Timeout.Infinite, CancellationToken.None); // until killed
            return Stream.Null;
        }
    }

    private sealed class HangingRecorder(IDatasetCreationTraceRecorder inner, Action mark) : IDatasetCreationTraceRecorder
    {
        public ValueTask<CreateDatasetTrace> PrepareAsync(CreateDatasetTrace trace, CancellationToken cancellationToken = default) => inner.PrepareAsync(trace, cancellationToken);

        public async Task RecordAsync(CreateDatasetTrace trace, CancellationToken cancellationToken = default)
        {
            await inner.RecordAsync(trace, cancellationToken);
            mark();
            await Task.Delay(Timeout.Infinite, CancellationToken.None); // until killed
        }
    }
}
