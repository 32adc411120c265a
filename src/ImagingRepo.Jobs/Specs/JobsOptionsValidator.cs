using ImagingRepo.Jobs.Workspaces;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Jobs.Specs;

/// <summary>Validates <see cref="JobsOptions"/> at start-up: flavours, quantities, registries, names and ids.</summary>
public sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming the setting.</summary>
    /// <param name="options">The options.</param>
    public static IReadOnlyList<string> Errors(JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!options.Flavors.ContainsKey(options.DefaultFlavor))
        {
            errors.Add($"DefaultFlavor: '{options.DefaultFlavor}' is not one of the configured flavours");
        }

        foreach (var (key, flavor) in options.Flavors)
        {
            Pair(errors, $"Flavors:{key}:Cpu", flavor.CpuRequest, flavor.CpuLimit);
            Pair(errors, $"Flavors:{key}:Memory", flavor.MemoryRequest, flavor.MemoryLimit);
            if (flavor.Gpus < 0)
            {
                errors.Add($"Flavors:{key}:Gpus: must not be negative");
            }
        }

        if (options.Policy.AllowedRegistries.Count == 0)
        {
            errors.Add("Policy:AllowedRegistries: at least one registry is required");
        }

        foreach (string registry in options.Policy.AllowedRegistries)
        {
            if (!registry.EndsWith('/'))
            {
                errors.Add($"Policy:AllowedRegistries: '{registry}' must end with '/' so that 'registry.example.org.evil.com' cannot match");
            }
        }

        var workspace = options.Workspace;
        if (workspace.ConflictRetries < 0 || workspace.ConflictRetryDelay < TimeSpan.Zero || workspace.ConflictRetryDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add("Workspace:ConflictRetries/ConflictRetryDelay: must not be negative (delay at most one minute)");
        }

        if (workspace.Uid <= 0 || workspace.Gid <= 0)
        {
            errors.Add("Workspace:Uid/Gid: must be positive (never root)");
        }

        if (!KubernetesNames.IsDns1123Label(workspace.NamespacePrefix + "x"))
        {
            errors.Add($"Workspace:NamespacePrefix: '{workspace.NamespacePrefix}' does not start a valid namespace name");
        }

        var q = workspace.Quota;
        Pair(errors, "Workspace:Quota:Cpu", q.RequestsCpu, q.LimitsCpu);
        Pair(errors, "Workspace:Quota:Memory", q.RequestsMemory, q.LimitsMemory);
        Pair(errors, "Workspace:Quota:DefaultCpu", q.DefaultCpuRequest, q.DefaultCpuLimit);
        Pair(errors, "Workspace:Quota:DefaultMemory", q.DefaultMemoryRequest, q.DefaultMemoryLimit);
        if (options.Hardening.BackoffLimit < 0 || options.Hardening.TtlSecondsAfterFinished < 0)
        {
            errors.Add("Hardening: BackoffLimit and TtlSecondsAfterFinished must not be negative");
        }

        return errors;
    }

    private static void Pair(List<string> errors, string setting, string request, string limit)
    {
        decimal? r = Parse(errors, setting + "Request", request), l = Parse(errors, setting + "Limit", limit);
        if (r is not null && l is not null && r > l)
        {
            errors.Add($"{setting}: the request {request} exceeds the limit {limit}");
        }
    }

    private static decimal? Parse(List<string> errors, string setting, string value)
    {
        try
        {
            return new ResourceQuantity(value).ToDecimal();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            errors.Add($"{setting}: '{value}' is not a Kubernetes quantity");
            return null;
        }
    }
}
