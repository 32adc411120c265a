using ImagingRepo.Tracing.Privacy;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Options shared by the outbox stores.</summary>
public class TraceOutboxOptions
{
    /// <summary>
    /// Turns user ids into keyed pseudonyms before a trace is stored. When null, only traces whose
    /// <c>userId</c> is already a pseudonym are accepted.
    /// </summary>
    public UserPseudonymizer? Pseudonymizer { get; set; }

    /// <summary>Most writes committed in one transaction (group commit).</summary>
    public int MaxGroupSize { get; set; } = 4096;

    /// <summary>Clock for timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
