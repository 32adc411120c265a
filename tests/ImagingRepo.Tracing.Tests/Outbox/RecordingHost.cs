using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.Tests.Outbox;

/// <summary>
/// Entry point of this assembly when run as a program. In <c>record-host DB COUNT</c> mode it records COUNT
/// traces with 64 concurrent callers and prints each trace id once its RecordAsync has returned, so that the
/// crash test can kill it at any moment and check that every printed trace survived.
/// </summary>
public static class RecordingHost
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "record-host") return 2;
        var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        await using var outbox = await SqliteTraceOutbox.OpenAsync(args[1], new SqliteTraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer });
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var gate = new object();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var trace = TestTraces.Use("ds-crash");
                await outbox.RecordAsync(trace);
                lock (gate)
                {
                    stdout.WriteLine(trace.Id.ToString("D"));
                    stdout.Flush();
                }
            }
        })));
        return 0;
    }
}
