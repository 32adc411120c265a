namespace ImagingRepo.Jobs.Policies;

/// <summary>One broken rule: which rule, which object, which field and why.</summary>
/// <param name="Rule">The rule name (also the Kyverno rule name).</param>
/// <param name="Object">The object, as <c>Kind/name</c>.</param>
/// <param name="Path">The offending field, e.g. <c>spec.template.spec.containers[0].securityContext.privileged</c>.</param>
/// <param name="Message">The rule's message.</param>
public sealed record PolicyViolation(string Rule, string Object, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Rule}] {Object} {Path}: {Message}";
}
