namespace ImagingRepo.Jobs;

/// <summary>
/// Thrown when a job, template, flavour or workspace request is refused before anything reaches the cluster.
/// <see cref="Field"/> names the offending input (for example <c>spec.name</c> or <c>flavor</c>).
/// </summary>
public class JobsValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The field or input that was refused.</param>
    /// <param name="message">What is wrong with it.</param>
    public JobsValidationException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
        Reason = message;
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    /// <param name="field">The field or input that was refused.</param>
    /// <param name="message">What is wrong with it.</param>
    /// <param name="innerException">The underlying error (for example a YAML parser error).</param>
    public JobsValidationException(string field, string message, Exception innerException)
        : base($"{field}: {message}", innerException)
    {
        Field = field;
        Reason = message;
    }

    /// <summary>The field or input that was refused.</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the field prefix.</summary>
    public string Reason { get; }
}

/// <summary>Thrown when the dataset-access gate refuses one or more datasets for the submitting user.</summary>
public sealed class DatasetAccessDeniedException : JobsValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="deniedDatasetIds">The datasets the user may not use.</param>
    /// <param name="reason">The gate's explanation.</param>
    public DatasetAccessDeniedException(IReadOnlyList<string> deniedDatasetIds, string reason)
        : base("datasets", $"access denied to {string.Join(", ", deniedDatasetIds)}: {reason}")
    {
        DeniedDatasetIds = deniedDatasetIds;
    }

    /// <summary>The datasets the user may not use.</summary>
    public IReadOnlyList<string> DeniedDatasetIds { get; }
}

/// <summary>Thrown when the rendered manifests break one or more platform policies.</summary>
public sealed class PolicyViolationException : JobsValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="violations">Every violation found.</param>
    public PolicyViolationException(IReadOnlyList<Policies.PolicyViolation> violations)
        : base(violations.Count > 0 ? violations[0].Path : "manifest", Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>Every violation found.</summary>
    public IReadOnlyList<Policies.PolicyViolation> Violations { get; }

    private static string Describe(IReadOnlyList<Policies.PolicyViolation> violations) =>
        $"{violations.Count} policy violation(s): " + string.Join("; ", violations.Select(v => v.ToString()));
}

/// <summary>
/// Thrown when the workload a call names does not exist in the user's workspace. Not a refusal of input: the request
/// was valid, the object is just not there (the command line exits with 3, as for other missing objects).
/// </summary>
public sealed class JobNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="namespaceName">The workspace namespace that was searched.</param>
    /// <param name="name">The workload name that was not found.</param>
    /// <param name="kind">What was looked for, for the message (<c>workload</c> or <c>job</c>).</param>
    /// <param name="innerException">The API server's answer, or null.</param>
    public JobNotFoundException(string namespaceName, string name, string kind = "workload", Exception? innerException = null)
        : base($"no {kind} named '{name}' in {namespaceName}", innerException)
    {
        Namespace = namespaceName;
        Name = name;
    }

    /// <summary>The workspace namespace that was searched.</summary>
    public string Namespace { get; }

    /// <summary>The workload name that was not found.</summary>
    public string Name { get; }
}
