namespace ImagingRepo.Inference.Selection;

/// <summary>A selection rule (from code or JSON) is malformed; <see cref="Location"/> says where.</summary>
public sealed class SelectionRuleException : InferenceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The JSON path of the offending rule, or the attribute concerned.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The underlying error, or null.</param>
    public SelectionRuleException(string location, string reason, Exception? innerException = null)
        : base($"selection rule {location}: {reason}", innerException)
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>The JSON path of the offending rule, or the attribute concerned.</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
