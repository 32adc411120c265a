using System.Diagnostics;
using System.Globalization;

namespace ImagingRepo.Benchmarks.Inference;

/// <summary>
/// The process's CPU time and garbage-collection pauses over a stage: on a shared machine wall-clock time says little,
/// CPU seconds say what the stage itself costs (on an idle machine with two cores, the stage takes about CPU ÷ 2 when
/// it runs in parallel and CPU when it runs on one thread).
/// </summary>
internal readonly record struct CpuClock(TimeSpan Processor, TimeSpan Paused, int Gen2, long Allocated)
{
    public static CpuClock Start()
    {
        using var process = Process.GetCurrentProcess();
        return new CpuClock(process.TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
    }

    public Cost Stop()
    {
        var now = Start();
        return new Cost((now.Processor - Processor).TotalSeconds, (now.Paused - Paused).TotalSeconds, now.Gen2 - Gen2, (now.Allocated - Allocated) / 1e6);
    }

    /// <summary>CPU seconds, GC pause seconds, gen-2 collections and managed megabytes allocated over a stage.</summary>
    internal readonly record struct Cost(double Cpu, double GcPause, int Gen2, double AllocatedMb)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Cpu:0.00} s cpu, gc pause {GcPause:0.000} s, {Gen2} gen2, {AllocatedMb:0} MB allocated");
    }
}
