using System.Globalization;
using System.Net;
using ImagingRepo.Jobs.Specs;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace ImagingRepo.Jobs.Workspaces;

/// <summary>The outcome of provisioning a workspace.</summary>
/// <param name="Identity">Who the workspace's workloads run as.</param>
/// <param name="Created">Objects created.</param>
/// <param name="Updated">Objects that existed and were updated to the desired state.</param>
public sealed record WorkspaceProvisioningResult(WorkspaceIdentity Identity, int Created, int Updated);

/// <summary>
/// Creates, updates and removes per-user workspaces through the Kubernetes API. Provisioning is an idempotent
/// create-or-update: an existing object (409 AlreadyExists) is read and replaced with its current resourceVersion,
/// and a lost race (409 Conflict) is read and tried again (<see cref="WorkspaceOptions.ConflictRetries"/> times, a Polly
/// retry pipeline with exponential, jittered delays). Thread-safe.
/// </summary>
public sealed partial class WorkspaceProvisioner
{
    private static readonly ResiliencePropertyKey<IKubernetesObject<V1ObjectMeta>> ObjectKey = new("imagingrepo.workspace.object");

    private readonly IKubernetes _kubernetes;
    private readonly JobsOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _conflictRetry;

    /// <summary>Creates the provisioner.</summary>
    /// <param name="kubernetes">The Kubernetes client.</param>
    /// <param name="options">Workspace settings and conventions.</param>
    /// <param name="logger">Logger, or null.</param>
    /// <param name="timeProvider">Clock of the conflict retry delays, or null for the system clock.</param>
    public WorkspaceProvisioner(IKubernetes kubernetes, JobsOptions options, ILogger<WorkspaceProvisioner>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(options);
        _kubernetes = kubernetes;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _conflictRetry = BuildConflictRetry(options.Workspace, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates or updates <paramref name="request"/>'s workspace.</summary>
    /// <param name="request">The user and dataset GID.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="JobsValidationException">The user name or GID is invalid, or the namespace belongs to another user.</exception>
    public async Task<WorkspaceProvisioningResult> ProvisionAsync(WorkspaceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = JobsTelemetry.Source.StartActivity("workspaces.provision");
        var identity = WorkspaceManifests.Identity(request, _options.Workspace);
        var objects = WorkspaceManifests.Build(request, _options.Workspace, _options.Conventions);
        int created = 0, updated = 0;
        foreach (var obj in objects)
        {
            if (await ApplyAsync(obj, request.Username, cancellationToken).ConfigureAwait(false))
            {
                created++;
            }
            else
            {
                updated++;
            }
        }

        JobsTelemetry.WorkspacesProvisioned.Add(1);
        activity?.SetTag("imagingrepo.workspace.created", created);
        activity?.SetTag("imagingrepo.workspace.updated", updated);
        Log.Provisioned(_logger, identity.Namespace, created, updated);
        return new WorkspaceProvisioningResult(identity, created, updated);
    }

    /// <summary>Deletes <paramref name="username"/>'s workspace namespace and everything in it (foreground propagation).</summary>
    /// <param name="username">The platform user name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when there was no workspace.</returns>
    public async Task<bool> DeprovisionAsync(string username, CancellationToken cancellationToken = default)
    {
        string ns = WorkspaceNaming.NamespaceFor(username, _options.Workspace.NamespacePrefix);
        try
        {
            await _kubernetes.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Foreground" }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            Log.Deprovisioned(_logger, ns);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Reads the workspace identity (uid, gid, dataset GID) from the workspace ConfigMap.</summary>
    /// <param name="username">The platform user name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="JobsValidationException">The user has no workspace, or its ConfigMap is malformed.</exception>
    public async Task<WorkspaceIdentity> ReadIdentityAsync(string username, CancellationToken cancellationToken = default)
    {
        string ns = WorkspaceNaming.NamespaceFor(username, _options.Workspace.NamespacePrefix);
        V1ConfigMap map;
        try
        {
            map = await _kubernetes.CoreV1.ReadNamespacedConfigMapAsync(_options.Conventions.WorkspaceConfigMap, ns, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new JobsValidationException("username", $"'{username}' has no workspace ({ns}); provision it first");
        }

        long Read(string key) =>
            map.Data is not null && map.Data.TryGetValue(key, out string? text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0
                ? value
                : throw new JobsValidationException($"{ns}/{map.Metadata.Name}.data.{key}", "is missing or not a positive integer");
        return new WorkspaceIdentity(username, ns, Read("uid"), Read("gid"), Read("datasetGid"));
    }

    // Returns true when created, false when an existing object was updated.
    private async Task<bool> ApplyAsync(IKubernetesObject<V1ObjectMeta> desired, string username, CancellationToken ct)
    {
        var ops = Operations.For(desired);
        string? ns = desired.Metadata.NamespaceProperty;
        try
        {
            await ops.Create(_kubernetes, desired, ns, ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // AlreadyExists: fall through to update.
        }

        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(ObjectKey, desired);
        try
        {
            return await _conflictRetry.ExecuteAsync(static async (context, state) =>
            {
                var (self, ops, desired, ns, username) = state;
                var existing = await ops.Read(self._kubernetes, desired.Metadata.Name, ns, context.CancellationToken).ConfigureAwait(false);
                if (desired is V1Namespace
                    && existing.Metadata.Annotations?.TryGetValue(WorkspaceManifests.UsernameAnnotation, out string? owner) == true
                    && !string.Equals(owner, username, StringComparison.Ordinal))
                {
                    throw new JobsValidationException("username", $"namespace {desired.Metadata.Name} already belongs to another user; refusing to take it over");
                }

                desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await ops.Replace(self._kubernetes, desired, ns, context.CancellationToken).ConfigureAwait(false);
                return false;
            }, context, (this, ops, desired, ns, username)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Retries a replace that lost a race (409 Conflict): read the current resourceVersion again and replace.</summary>
    private ResiliencePipeline BuildConflictRetry(WorkspaceOptions options, TimeProvider timeProvider)
    {
        if (options.ConflictRetries < 1) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpOperationException>(e => e.Response.StatusCode == HttpStatusCode.Conflict),
                MaxRetryAttempts = options.ConflictRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ConflictRetryDelay,
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    JobsTelemetry.Conflicts.Add(1);
                    var obj = args.Context.Properties.GetValue(ObjectKey, null!);
                    Log.Conflict(_logger, obj?.Kind ?? "object", obj?.Metadata.Name ?? "", args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private sealed record Operations(
        Func<IKubernetes, object, string?, CancellationToken, Task> Create,
        Func<IKubernetes, string, string?, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> Read,
        Func<IKubernetes, object, string?, CancellationToken, Task> Replace)
    {
        public static Operations For(object obj) => obj switch
        {
            V1Namespace => new(
                async (k, o, _, ct) => await k.CoreV1.CreateNamespaceAsync((V1Namespace)o, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, _, ct) => await k.CoreV1.ReadNamespaceAsync(n, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, _, ct) => await k.CoreV1.ReplaceNamespaceAsync((V1Namespace)o, ((V1Namespace)o).Metadata.Name, cancellationToken: ct).ConfigureAwait(false)),
            V1ServiceAccount => new(
                async (k, o, ns, ct) => await k.CoreV1.CreateNamespacedServiceAccountAsync((V1ServiceAccount)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.CoreV1.ReadNamespacedServiceAccountAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.CoreV1.ReplaceNamespacedServiceAccountAsync((V1ServiceAccount)o, ((V1ServiceAccount)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            V1Role => new(
                async (k, o, ns, ct) => await k.RbacAuthorizationV1.CreateNamespacedRoleAsync((V1Role)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.RbacAuthorizationV1.ReadNamespacedRoleAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.RbacAuthorizationV1.ReplaceNamespacedRoleAsync((V1Role)o, ((V1Role)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            V1RoleBinding => new(
                async (k, o, ns, ct) => await k.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync((V1RoleBinding)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync((V1RoleBinding)o, ((V1RoleBinding)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            V1ConfigMap => new(
                async (k, o, ns, ct) => await k.CoreV1.CreateNamespacedConfigMapAsync((V1ConfigMap)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.CoreV1.ReadNamespacedConfigMapAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.CoreV1.ReplaceNamespacedConfigMapAsync((V1ConfigMap)o, ((V1ConfigMap)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            V1ResourceQuota => new(
                async (k, o, ns, ct) => await k.CoreV1.CreateNamespacedResourceQuotaAsync((V1ResourceQuota)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.CoreV1.ReadNamespacedResourceQuotaAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.CoreV1.ReplaceNamespacedResourceQuotaAsync((V1ResourceQuota)o, ((V1ResourceQuota)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            V1LimitRange => new(
                async (k, o, ns, ct) => await k.CoreV1.CreateNamespacedLimitRangeAsync((V1LimitRange)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.CoreV1.ReadNamespacedLimitRangeAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.CoreV1.ReplaceNamespacedLimitRangeAsync((V1LimitRange)o, ((V1LimitRange)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            V1NetworkPolicy => new(
                async (k, o, ns, ct) => await k.NetworkingV1.CreateNamespacedNetworkPolicyAsync((V1NetworkPolicy)o, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, n, ns, ct) => await k.NetworkingV1.ReadNamespacedNetworkPolicyAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
                async (k, o, ns, ct) => await k.NetworkingV1.ReplaceNamespacedNetworkPolicyAsync((V1NetworkPolicy)o, ((V1NetworkPolicy)o).Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false)),
            _ => throw new NotSupportedException($"workspaces do not contain {obj.GetType().Name} objects"),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Workspace {Namespace} provisioned: {Created} created, {Updated} updated")]
        public static partial void Provisioned(ILogger logger, string @namespace, int created, int updated);

        [LoggerMessage(2, LogLevel.Information, "Workspace {Namespace} deleted")]
        public static partial void Deprovisioned(ILogger logger, string @namespace);

        [LoggerMessage(3, LogLevel.Debug, "resourceVersion conflict updating {Kind} {Name} (attempt {Attempt}); retrying")]
        public static partial void Conflict(ILogger logger, string kind, string name, int attempt);
    }
}
