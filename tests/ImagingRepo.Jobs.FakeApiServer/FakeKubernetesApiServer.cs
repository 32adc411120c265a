using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Jobs.FakeApiServer;

/// <summary>
/// A FAKE Kubernetes API server: an in-memory store behind the real REST paths, on 127.0.0.1 with a random port, so
/// that KubernetesClient can be driven over HTTP where no real API server can run. It implements the subset the
/// jobs library uses, with the API server's semantics: create (409 AlreadyExists, 404 for a missing namespace, 422
/// for a bad name), get (404), replace with optimistic concurrency (409 Conflict on a stale resourceVersion) and the
/// <c>/status</c> subresource, list with label and field selectors (also across namespaces), watch as a streamed
/// list of events (synthetic ADDED events first, resume from a resourceVersion, 410 Gone when too old), pod logs
/// (with follow), and delete with Orphan/Background/Foreground propagation through ownerReferences (Jobs orphan by
/// default, as batch/v1 does); deleting a namespace deletes its contents. A minimal job controller (on by default)
/// creates a Job's pods and keeps its status counts and conditions in step with them. There is no scheduler, kubelet,
/// admission or validation beyond names: tests play the kubelet through the <c>/status</c> subresource and
/// <see cref="AppendPodLog"/>.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private static readonly Resource[] Resources =
    [
        new("", "v1", "namespaces", "Namespace", false, true),
        new("", "v1", "pods", "Pod", true, true),
        new("", "v1", "services", "Service", true, true),
        new("", "v1", "secrets", "Secret", true, false),
        new("", "v1", "configmaps", "ConfigMap", true, false),
        new("", "v1", "serviceaccounts", "ServiceAccount", true, false),
        new("", "v1", "resourcequotas", "ResourceQuota", true, true),
        new("", "v1", "limitranges", "LimitRange", true, false),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, true),
        new("batch", "v1", "jobs", "Job", true, true),
        new("batch", "v1", "cronjobs", "CronJob", true, true),
        new("apps", "v1", "deployments", "Deployment", true, true),
        new("apps", "v1", "replicasets", "ReplicaSet", true, true),
        new("apps", "v1", "statefulsets", "StatefulSet", true, true),
        new("apps", "v1", "daemonsets", "DaemonSet", true, true),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, false),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, false),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, false),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, false),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", true, true),
        new("kyverno.io", "v1", "clusterpolicies", "ClusterPolicy", false, true),
    ];

    private const int HistoryLimit = 4096;

    private readonly object _gate = new();
    private readonly Dictionary<(Resource Resource, string Namespace, string Name), JsonObject> _store = [];
    private readonly List<WatchEvent> _history = [];
    private readonly List<Watcher> _watchers = [];
    private readonly Dictionary<(string Namespace, string Pod), StringBuilder> _logs = [];
    private readonly HashSet<(string Plural, string Namespace, string Name)> _conflicts = [];
    private readonly FakeKubernetesApiServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private long _resourceVersion = 1000;
    private long _requests;
    private int _podSuffix;

    private FakeKubernetesApiServer(FakeKubernetesApiServerOptions options) => _options = options;

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests served so far.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Starts a fake on 127.0.0.1 with a random port.</summary>
    /// <param name="options">Behaviour switches, or null for the defaults.</param>
    public static async Task<FakeKubernetesApiServer> StartAsync(FakeKubernetesApiServerOptions? options = null)
    {
        var server = new FakeKubernetesApiServer(options ?? new FakeKubernetesApiServerOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._app = app;
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>A KubernetesClient configuration pointing at the fake (plain HTTP, no credentials).</summary>
    public KubernetesClientConfiguration ClientConfiguration => new() { Host = BaseAddress.ToString().TrimEnd('/') };

    /// <summary>A new KubernetesClient talking to the fake.</summary>
    public Kubernetes CreateClient() => new(ClientConfiguration);

    /// <summary>Appends text to a pod's log, as the kubelet would from the container's output.</summary>
    /// <param name="namespace">The pod's namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="text">The text (include line breaks).</param>
    public void AppendPodLog(string @namespace, string pod, string text)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue((@namespace, pod), out var log))
            {
                _logs[(@namespace, pod)] = log = new StringBuilder();
            }

            log.Append(text);
        }

        NotifyLogWaiters();
    }

    /// <summary>
    /// Makes the next replace of the object lose a race: just before the fake compares resourceVersions, another writer
    /// changes the object, so a client holding the old version gets 409 Conflict and must re-read.
    /// </summary>
    /// <param name="plural">Resource plural, e.g. <c>configmaps</c>.</param>
    /// <param name="namespace">Namespace ("" for cluster-scoped).</param>
    /// <param name="name">Object name.</param>
    public void ConflictOnNextReplace(string plural, string @namespace, string name)
    {
        lock (_gate)
        {
            _conflicts.Add((plural, @namespace, name));
        }
    }

    /// <summary>The stored objects of a resource (copies), for assertions.</summary>
    /// <param name="plural">Resource plural.</param>
    /// <param name="namespace">Namespace, or null for all.</param>
    public IReadOnlyList<JsonObject> Objects(string plural, string? @namespace = null)
    {
        lock (_gate)
        {
            return _store.Where(kv => kv.Key.Resource.Plural == plural && (@namespace is null || kv.Key.Namespace == @namespace))
                .Select(kv => (JsonObject)kv.Value.DeepClone()).ToList();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }
        }

        NotifyLogWaiters();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    // ---- HTTP dispatch -------------------------------------------------------------------------------------------

    private sealed record Resource(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatus)
    {
        public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

        public string Qualified => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    }

    private sealed record Target(Resource Resource, string? Namespace, string? Name, string? Subresource);

    private sealed class ApiError(int code, string reason, string message) : Exception(message)
    {
        public int Code { get; } = code;

        public string Reason { get; } = reason;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            var target = Route(context.Request.Path.Value ?? "/");
            var query = context.Request.Query;
            string method = context.Request.Method;
            if (target.Subresource == "log" && method == "GET")
            {
                await ServeLogAsync(context, target).ConfigureAwait(false);
                return;
            }

            if (method == "GET" && target.Name is null && IsTrue(query["watch"]))
            {
                await ServeWatchAsync(context, target).ConfigureAwait(false);
                return;
            }

            (int status, JsonNode body) = method switch
            {
                "GET" when target.Name is null => (200, List(target, query["labelSelector"], query["fieldSelector"])),
                "GET" => (200, Get(target)),
                "POST" when target.Name is null => (201, Create(target, await ReadBodyAsync(context).ConfigureAwait(false))),
                "PUT" when target.Name is not null => (200, Replace(target, await ReadBodyAsync(context).ConfigureAwait(false))),
                "DELETE" when target.Name is not null => (200, Delete(target, await ReadOptionalBodyAsync(context).ConfigureAwait(false), query["propagationPolicy"])),
                _ => throw new ApiError(405, "MethodNotAllowed", $"the fake does not support {method} on {context.Request.Path}"),
            };
            if (target.Resource.Plural is "pods" or "namespaces" && method is "PUT" or "DELETE")
            {
                NotifyLogWaiters();   // a pod that ended or went away ends its followed logs
            }

            await WriteJsonAsync(context, status, body).ConfigureAwait(false);
        }
        catch (ApiError e)
        {
            await WriteJsonAsync(context, e.Code, StatusBody(e.Code, e.Reason, e.Message)).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteJsonAsync(context, 400, StatusBody(400, "BadRequest", "the body is not valid JSON: " + e.Message)).ConfigureAwait(false);
        }
    }

    private static bool IsTrue(string? value) => value is "true" or "1";

    private static Target Route(string path)
    {
        string[] s = path.Trim('/').Split('/');
        int i;
        string group, version;
        if (s.Length >= 2 && s[0] == "api")
        {
            (group, version, i) = ("", s[1], 2);
        }
        else if (s.Length >= 3 && s[0] == "apis")
        {
            (group, version, i) = (s[1], s[2], 3);
        }
        else
        {
            throw new ApiError(404, "NotFound", $"the server could not find the requested resource ({path})");
        }

        string? ns = null;
        if (s.Length - i >= 3 && s[i] == "namespaces")
        {
            ns = Uri.UnescapeDataString(s[i + 1]);
            i += 2;
        }

        if (s.Length <= i)
        {
            throw new ApiError(404, "NotFound", $"the server could not find the requested resource ({path})");
        }

        var resource = Array.Find(Resources, r => r.Group == group && r.Version == version && r.Plural == s[i])
            ?? throw new ApiError(404, "NotFound", $"the server could not find the requested resource ({path})");
        string? name = s.Length > i + 1 ? Uri.UnescapeDataString(s[i + 1]) : null;
        string? sub = s.Length > i + 2 ? s[i + 2] : null;
        if (s.Length > i + 3 || sub is not (null or "status" or "log") || (sub == "log" && resource.Plural != "pods"))
        {
            throw new ApiError(404, "NotFound", $"the server could not find the requested resource ({path})");
        }

        if (ns is not null && !resource.Namespaced)
        {
            throw new ApiError(404, "NotFound", $"{resource.Qualified} is cluster-scoped");
        }

        return new Target(resource, ns, name, sub);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        var node = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false);
        return node as JsonObject ?? throw new ApiError(400, "BadRequest", "the body must be a JSON object");
    }

    private static async Task<JsonObject?> ReadOptionalBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string text = await reader.ReadToEndAsync().ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }

    private static JsonObject StatusBody(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    // ---- Verbs ---------------------------------------------------------------------------------------------------

    private JsonObject Create(Target target, JsonObject body)
    {
        var resource = target.Resource;
        CheckKind(resource, body);
        var metadata = body["metadata"] as JsonObject ?? throw Invalid(resource, "", "metadata: Required value");
        string? name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name) && metadata["generateName"] is JsonValue generate)
        {
            name = (string)generate! + Suffix();
            metadata["name"] = name;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(resource, "", "metadata.name: Required value: name or generateName is required");
        }

        ValidateName(resource, name);
        string ns = CheckNamespace(target, metadata);
        lock (_gate)
        {
            if (resource.Namespaced && !_store.ContainsKey((NamespaceResource, "", ns)))
            {
                throw new ApiError(404, "NotFound", $"namespaces \"{ns}\" not found");
            }

            if (_store.ContainsKey((resource, ns, name)))
            {
                throw new ApiError(409, "AlreadyExists", $"{resource.Qualified} \"{name}\" already exists");
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            metadata["generation"] = 1;
            metadata.Remove("deletionTimestamp");
            if (resource.HasStatus)
            {
                body["status"] = InitialStatus(resource);
            }

            Store(WatchEventType.Added, resource, ns, name, body);
            if (resource.Plural == "jobs" && _options.SimulateJobController)
            {
                StartJobPods(ns, body);
            }

            return (JsonObject)body.DeepClone();
        }
    }

    private JsonObject Get(Target target)
    {
        string ns = target.Namespace ?? "";
        lock (_gate)
        {
            return _store.TryGetValue((target.Resource, ns, target.Name!), out var obj)
                ? (JsonObject)obj.DeepClone()
                : throw NotFound(target.Resource, target.Name!);
        }
    }

    private JsonObject List(Target target, string? labelSelector, string? fieldSelector)
    {
        var labels = LabelSelector.Parse(labelSelector);
        var fields = FieldSelector.Parse(fieldSelector);
        var items = new JsonArray();
        long version;
        lock (_gate)
        {
            foreach (var ((resource, ns, _), obj) in _store.OrderBy(kv => kv.Key.Namespace, StringComparer.Ordinal).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal))
            {
                if (resource == target.Resource && (target.Namespace is null || target.Namespace == ns) && labels.Matches(obj) && fields.Matches(obj))
                {
                    items.Add(obj.DeepClone());
                }
            }

            version = _resourceVersion;
        }

        return new JsonObject
        {
            ["kind"] = target.Resource.Kind + "List",
            ["apiVersion"] = target.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
    }

    private JsonObject Replace(Target target, JsonObject body)
    {
        var resource = target.Resource;
        CheckKind(resource, body);
        var metadata = body["metadata"] as JsonObject ?? throw Invalid(resource, target.Name!, "metadata: Required value");
        if ((string?)metadata["name"] != target.Name)
        {
            throw new ApiError(400, "BadRequest", $"the name of the object ({(string?)metadata["name"]}) does not match the name on the URL ({target.Name})");
        }

        string ns = CheckNamespace(target, metadata);
        lock (_gate)
        {
            if (!_store.TryGetValue((resource, ns, target.Name!), out var stored))
            {
                throw NotFound(resource, target.Name!);
            }

            if (_conflicts.Remove((resource.Plural, ns, target.Name!)))
            {
                // Another writer wins the race.
                Store(WatchEventType.Modified, resource, ns, target.Name!, (JsonObject)stored.DeepClone());
                stored = _store[(resource, ns, target.Name!)];
            }

            var storedMeta = (JsonObject)stored["metadata"]!;
            string? expected = (string?)metadata["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != (string?)storedMeta["resourceVersion"])
            {
                throw new ApiError(409, "Conflict",
                    $"Operation cannot be fulfilled on {resource.Qualified} \"{target.Name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            JsonObject updated;
            if (target.Subresource == "status")
            {
                updated = (JsonObject)stored.DeepClone();
                updated["status"] = body["status"]?.DeepClone();
            }
            else
            {
                updated = body;
                foreach (string key in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp" })
                {
                    metadata[key] = storedMeta[key]?.DeepClone();
                }

                if (resource.HasStatus)
                {
                    updated["status"] = stored["status"]?.DeepClone();
                }

                if (!JsonNode.DeepEquals(body["spec"], stored["spec"]))
                {
                    metadata["generation"] = ((long?)storedMeta["generation"] ?? 1) + 1;
                }
            }

            Store(WatchEventType.Modified, resource, ns, target.Name!, updated);
            if (resource.Plural == "pods")
            {
                OnPodChanged(ns, updated);
            }

            return (JsonObject)updated.DeepClone();
        }
    }

    private JsonObject Delete(Target target, JsonObject? options, string? queryPolicy)
    {
        var resource = target.Resource;
        string ns = target.Namespace ?? "";
        string? policy = (string?)options?["propagationPolicy"] ?? queryPolicy;
        if (options?["orphanDependents"] is JsonValue orphan && (bool)orphan)
        {
            policy ??= "Orphan";
        }

        // batch/v1 Jobs (and the legacy core resources) orphan their dependents unless told otherwise.
        policy ??= resource.Plural is "jobs" or "cronjobs" ? "Orphan" : "Background";
        if (policy is not ("Orphan" or "Background" or "Foreground"))
        {
            throw Invalid(resource, target.Name!, $"propagationPolicy: Unsupported value: \"{policy}\"");
        }

        lock (_gate)
        {
            if (!_store.TryGetValue((resource, ns, target.Name!), out var stored))
            {
                throw NotFound(resource, target.Name!);
            }

            var result = (JsonObject)stored.DeepClone();
            if (resource.Plural == "namespaces")
            {
                foreach (var key in _store.Keys.Where(k => k.Namespace == target.Name).ToList())
                {
                    Remove(key);
                }

                ((JsonObject)result["status"]!)["phase"] = "Terminating";
            }

            string uid = (string)stored["metadata"]!["uid"]!;
            if (policy == "Orphan")
            {
                ReleaseDependents(uid);
            }
            else
            {
                DeleteDependents(uid);
            }

            Remove((resource, ns, target.Name!));
            ((JsonObject)result["metadata"]!)["deletionTimestamp"] = _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return result;
        }
    }

    // ---- Watch and logs --------------------------------------------------------------------------------------------

    private sealed record WatchEvent(long Version, WatchEventType Type, Resource Resource, string Namespace, JsonObject Object);

    private sealed class Watcher(Resource resource, string? ns, LabelSelector labels, FieldSelector fields)
    {
        public Channel<string> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

        public bool Wants(WatchEvent e) => e.Resource == resource && (ns is null || ns == e.Namespace) && labels.Matches(e.Object) && fields.Matches(e.Object);
    }

    private async Task ServeWatchAsync(HttpContext context, Target target)
    {
        var query = context.Request.Query;
        var watcher = new Watcher(target.Resource, target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        string? from = query["resourceVersion"];
        lock (_gate)
        {
            if (string.IsNullOrEmpty(from) || from == "0")
            {
                foreach (var ((resource, ns, _), obj) in _store)
                {
                    var e = new WatchEvent(0, WatchEventType.Added, resource, ns, obj);
                    if (watcher.Wants(e))
                    {
                        watcher.Channel.Writer.TryWrite(Line(e));
                    }
                }
            }
            else
            {
                long start = long.Parse(from, CultureInfo.InvariantCulture);
                if (_history.Count > 0 && _history[0].Version > start + 1 && start < _resourceVersion)
                {
                    watcher.Channel.Writer.TryWrite(JsonSerializer.Serialize(new { type = "ERROR", @object = StatusBody(410, "Expired", $"too old resource version: {start}") }) + "\n");
                    watcher.Channel.Writer.TryComplete();
                }
                else
                {
                    foreach (var e in _history.Where(h => h.Version > start && watcher.Wants(h)))
                    {
                        watcher.Channel.Writer.TryWrite(Line(e));
                    }
                }
            }

            _watchers.Add(watcher);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using var timeout = int.TryParse(query["timeoutSeconds"], out int seconds) && seconds > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), _options.TimeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token, timeout.Token);
        try
        {
            await context.Response.StartAsync(linked.Token).ConfigureAwait(false);
            await foreach (string line in watcher.Channel.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(line, linked.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    private static string Line(WatchEvent e) =>
        new JsonObject { ["type"] = e.Type.ToString().ToUpperInvariant(), ["object"] = e.Object.DeepClone() }.ToJsonString() + "\n";

    private readonly SemaphoreSlim _logSignal = new(0);
    private int _logWaiters;

    private void NotifyLogWaiters()
    {
        int waiters = Volatile.Read(ref _logWaiters);
        if (waiters > 0)
        {
            _logSignal.Release(waiters);
        }
    }

    private async Task ServeLogAsync(HttpContext context, Target target)
    {
        string ns = target.Namespace ?? "";
        string pod = target.Name!;
        string? container = context.Request.Query["container"];
        bool follow = IsTrue(context.Request.Query["follow"]);
        lock (_gate)
        {
            if (!_store.TryGetValue((PodResource, ns, pod), out var obj))
            {
                throw NotFound(PodResource, pod);
            }

            var containers = obj["spec"]?["containers"] as JsonArray;
            if (container is not null && containers?.Any(c => (string?)c?["name"] == container) != true)
            {
                throw new ApiError(400, "BadRequest", $"container {container} is not valid for pod {pod}");
            }

            if ((string?)obj["status"]?["phase"] == "Pending")
            {
                throw new ApiError(400, "BadRequest", $"container \"{container ?? "main"}\" in pod \"{pod}\" is waiting to start: ContainerCreating");
            }
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync().ConfigureAwait(false);
        int sent = 0;
        while (true)
        {
            string chunk;
            bool done;
            lock (_gate)
            {
                var text = _logs.TryGetValue((ns, pod), out var log) ? log.ToString() : "";
                chunk = text[sent..];
                sent = text.Length;
                done = !follow || !_store.TryGetValue((PodResource, ns, pod), out var obj)
                    || (string?)obj["status"]?["phase"] is "Succeeded" or "Failed";
            }

            if (chunk.Length > 0)
            {
                await context.Response.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }

            if (done || context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _logWaiters);
            try
            {
                await _logSignal.WaitAsync(TimeSpan.FromMilliseconds(200), context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _logWaiters);
            }
        }
    }

    // ---- Store -----------------------------------------------------------------------------------------------------

    private static readonly Resource NamespaceResource = Resources[0];
    private static readonly Resource PodResource = Resources[1];
    private static readonly Resource JobResource = Array.Find(Resources, r => r.Plural == "jobs")!;

    private void Store(WatchEventType type, Resource resource, string ns, string name, JsonObject obj)
    {
        long version = ++_resourceVersion;
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        _store[(resource, ns, name)] = obj;
        Publish(new WatchEvent(version, type, resource, ns, (JsonObject)obj.DeepClone()));
    }

    private void Remove((Resource Resource, string Namespace, string Name) key)
    {
        if (_store.Remove(key, out var obj))
        {
            long version = ++_resourceVersion;
            ((JsonObject)obj["metadata"]!)["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
            _logs.Remove((key.Namespace, key.Name));
            Publish(new WatchEvent(version, WatchEventType.Deleted, key.Resource, key.Namespace, obj));
        }
    }

    private void Publish(WatchEvent e)
    {
        _history.Add(e);
        if (_history.Count > HistoryLimit)
        {
            _history.RemoveRange(0, _history.Count - HistoryLimit);
        }

        foreach (var watcher in _watchers)
        {
            if (watcher.Wants(e))
            {
                watcher.Channel.Writer.TryWrite(Line(e));
            }
        }
    }

    private void ReleaseDependents(string ownerUid)
    {
        foreach (var (key, obj) in _store.ToList())
        {
            if (obj["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => (string?)o?["uid"] == ownerUid))
            {
                var copy = (JsonObject)obj.DeepClone();
                var remaining = new JsonArray(owners.Where(o => (string?)o?["uid"] != ownerUid).Select(o => o!.DeepClone()).ToArray());
                ((JsonObject)copy["metadata"]!)["ownerReferences"] = remaining;
                Store(WatchEventType.Modified, key.Resource, key.Namespace, key.Name, copy);
            }
        }
    }

    private void DeleteDependents(string ownerUid)
    {
        foreach (var (key, obj) in _store.ToList())
        {
            if (obj["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => (string?)o?["uid"] == ownerUid) && _store.ContainsKey(key))
            {
                DeleteDependents((string)obj["metadata"]!["uid"]!);
                Remove(key);
            }
        }
    }

    // ---- Minimal job controller --------------------------------------------------------------------------------------

    private void StartJobPods(string ns, JsonObject job)
    {
        var spec = job["spec"] as JsonObject;
        var template = spec?["template"] as JsonObject;
        if (template is null)
        {
            return;
        }

        int completions = (int?)spec!["completions"] ?? 1;
        int parallelism = Math.Min((int?)spec["parallelism"] ?? 1, completions);
        bool indexed = (string?)spec["completionMode"] == "Indexed";
        var jobMeta = (JsonObject)job["metadata"]!;
        string jobName = (string)jobMeta["name"]!, uid = (string)jobMeta["uid"]!;
        for (int index = 0; index < parallelism; index++)
        {
            var podMeta = (JsonObject)(template["metadata"]?.DeepClone() ?? new JsonObject());
            var labels = podMeta["labels"] as JsonObject ?? new JsonObject();
            podMeta["labels"] = labels;
            labels["batch.kubernetes.io/job-name"] = jobName;
            labels["job-name"] = jobName;
            labels["batch.kubernetes.io/controller-uid"] = uid;
            labels["controller-uid"] = uid;
            string podName = indexed ? $"{jobName}-{index}-{Suffix()}" : $"{jobName}-{Suffix()}";
            if (indexed)
            {
                var annotations = podMeta["annotations"] as JsonObject ?? new JsonObject();
                podMeta["annotations"] = annotations;
                annotations["batch.kubernetes.io/job-completion-index"] = index.ToString(CultureInfo.InvariantCulture);
                labels["batch.kubernetes.io/job-completion-index"] = index.ToString(CultureInfo.InvariantCulture);
            }

            podMeta["name"] = podName;
            podMeta["namespace"] = ns;
            podMeta["uid"] = Guid.NewGuid().ToString();
            podMeta["creationTimestamp"] = jobMeta["creationTimestamp"]?.DeepClone();
            podMeta["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["name"] = jobName,
                ["uid"] = uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
            var pod = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = podMeta,
                ["spec"] = template["spec"]?.DeepClone(),
                ["status"] = new JsonObject { ["phase"] = "Pending" },
            };
            Store(WatchEventType.Added, PodResource, ns, podName, pod);
        }

        UpdateJobStatus(ns, jobName);
    }

    private void OnPodChanged(string ns, JsonObject pod)
    {
        if (!_options.SimulateJobController || pod["metadata"]?["ownerReferences"] is not JsonArray owners)
        {
            return;
        }

        foreach (var owner in owners)
        {
            if ((string?)owner?["kind"] == "Job")
            {
                UpdateJobStatus(ns, (string)owner!["name"]!);
            }
        }
    }

    private void UpdateJobStatus(string ns, string jobName)
    {
        if (!_store.TryGetValue((JobResource, ns, jobName), out var job))
        {
            return;
        }

        int active = 0, ready = 0, succeeded = 0, failed = 0;
        foreach (var ((resource, podNs, _), pod) in _store)
        {
            if (resource != PodResource || podNs != ns || (string?)pod["metadata"]?["labels"]?["batch.kubernetes.io/job-name"] != jobName)
            {
                continue;
            }

            switch ((string?)pod["status"]?["phase"])
            {
                case "Succeeded": succeeded++; break;
                case "Failed": failed++; break;
                case "Running": active++; ready++; break;
                default: active++; break;
            }
        }

        var updated = (JsonObject)job.DeepClone();
        var status = updated["status"] as JsonObject ?? new JsonObject();
        updated["status"] = status;
        status["active"] = active;
        status["ready"] = ready;
        status["succeeded"] = succeeded;
        status["failed"] = failed;
        status["startTime"] ??= job["metadata"]?["creationTimestamp"]?.DeepClone();
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        var spec = job["spec"];
        int completions = (int?)spec?["completions"] ?? 1;
        int backoffLimit = (int?)spec?["backoffLimitPerIndex"] ?? (int?)spec?["backoffLimit"] ?? 6;
        bool finished = conditions.Any(c => (string?)c?["type"] is "Complete" or "Failed" && (string?)c?["status"] == "True");
        if (!finished && succeeded >= completions)
        {
            conditions.Add(Condition("Complete", null, null));
        }
        else if (!finished && failed > backoffLimit)
        {
            conditions.Add(Condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
        }

        Store(WatchEventType.Modified, JobResource, ns, jobName, updated);
    }

    private JsonObject Condition(string type, string? reason, string? message)
    {
        string now = _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["reason"] = reason,
            ["message"] = message,
            ["lastProbeTime"] = now,
            ["lastTransitionTime"] = now,
        };
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    private string Suffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        int n = Interlocked.Increment(ref _podSuffix) * 7919;
        var chars = new char[5];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[n % alphabet.Length];
            n /= alphabet.Length;
        }

        return new string(chars);
    }

    private static JsonObject InitialStatus(Resource resource) => resource.Plural switch
    {
        "namespaces" => new JsonObject { ["phase"] = "Active" },
        "pods" => new JsonObject { ["phase"] = "Pending" },
        _ => new JsonObject(),
    };

    private static void CheckKind(Resource resource, JsonObject body)
    {
        string? kind = (string?)body["kind"], apiVersion = (string?)body["apiVersion"];
        if ((kind is not null && kind != resource.Kind) || (apiVersion is not null && apiVersion != resource.ApiVersion))
        {
            throw new ApiError(400, "BadRequest", $"the API version in the data ({apiVersion}) or kind ({kind}) does not match the expected {resource.ApiVersion} {resource.Kind}");
        }

        body["kind"] = resource.Kind;
        body["apiVersion"] = resource.ApiVersion;
    }

    private static string CheckNamespace(Target target, JsonObject metadata)
    {
        if (!target.Resource.Namespaced)
        {
            metadata.Remove("namespace");
            return "";
        }

        string? inBody = (string?)metadata["namespace"];
        if (inBody is not null && inBody.Length > 0 && inBody != target.Namespace)
        {
            throw new ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = target.Namespace;
        return target.Namespace!;
    }

    private static void ValidateName(Resource resource, string name)
    {
        // Namespaces and services are DNS-1123 labels; the others DNS-1123 subdomains.
        bool label = resource.Plural is "namespaces" or "services";
        int max = label ? 63 : 253;
        bool ok = name.Length <= max && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0]) && char.IsAsciiLetterLower(name[^1]) | char.IsAsciiDigit(name[^1]);
        foreach (char c in name)
        {
            ok &= char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || (!label && c == '.');
        }

        if (!ok)
        {
            throw Invalid(resource, name, $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 {(label ? "label" : "subdomain")} must consist of lower case alphanumeric characters");
        }
    }

    private static ApiError NotFound(Resource resource, string name) => new(404, "NotFound", $"{resource.Qualified} \"{name}\" not found");

    private static ApiError Invalid(Resource resource, string name, string detail) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {detail}");

    private sealed class LabelSelector
    {
        private readonly List<(string Key, string Op, string[] Values)> _terms = [];

        public static LabelSelector Parse(string? text)
        {
            var selector = new LabelSelector();
            if (string.IsNullOrWhiteSpace(text))
            {
                return selector;
            }

            foreach (string raw in SplitTopLevel(text))
            {
                string term = raw.Trim();
                int inIndex = term.IndexOf(" in (", StringComparison.Ordinal), notIn = term.IndexOf(" notin (", StringComparison.Ordinal);
                if (notIn > 0 || inIndex > 0)
                {
                    int at = notIn > 0 ? notIn : inIndex;
                    string values = term[(term.IndexOf('(', StringComparison.Ordinal) + 1)..].TrimEnd(')');
                    selector._terms.Add((term[..at].Trim(), notIn > 0 ? "notin" : "in", values.Split(',', StringSplitOptions.TrimEntries)));
                }
                else if (term.Contains("!=", StringComparison.Ordinal))
                {
                    var parts = term.Split("!=", 2);
                    selector._terms.Add((parts[0].Trim(), "!=", [parts[1].Trim()]));
                }
                else if (term.Contains('=', StringComparison.Ordinal))
                {
                    var parts = term.Split('=', 2);
                    selector._terms.Add((parts[0].Trim(), "=", [parts[1].TrimStart('=').Trim()]));
                }
                else if (term.StartsWith('!'))
                {
                    selector._terms.Add((term[1..].Trim(), "!exists", []));
                }
                else if (term.Length > 0 && term.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
                {
                    selector._terms.Add((term, "exists", []));
                }
                else
                {
                    throw new ApiError(400, "BadRequest", $"unable to parse requirement: \"{term}\"");
                }
            }

            return selector;
        }

        public bool Matches(JsonObject obj)
        {
            var labels = obj["metadata"]?["labels"] as JsonObject;
            foreach (var (key, op, values) in _terms)
            {
                string? value = (string?)labels?[key];
                bool ok = op switch
                {
                    "=" => value == values[0],
                    "!=" => value != values[0],
                    "in" => value is not null && values.Contains(value),
                    "notin" => value is null || !values.Contains(value),
                    "exists" => value is not null,
                    _ => value is null,
                };
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static IEnumerable<string> SplitTopLevel(string text)
        {
            int depth = 0, start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '(') depth++;
                else if (text[i] == ')') depth--;
                else if (text[i] == ',' && depth == 0)
                {
                    yield return text[start..i];
                    start = i + 1;
                }
            }

            yield return text[start..];
        }
    }

    private sealed class FieldSelector
    {
        private static readonly string[] Supported = ["metadata.name", "metadata.namespace", "status.phase"];
        private readonly List<(string Field, bool Equal, string Value)> _terms = [];

        public static FieldSelector Parse(string? text)
        {
            var selector = new FieldSelector();
            if (string.IsNullOrWhiteSpace(text))
            {
                return selector;
            }

            foreach (string term in text.Split(','))
            {
                bool notEqual = term.Contains("!=", StringComparison.Ordinal);
                var parts = notEqual ? term.Split("!=", 2) : term.Split('=', 2);
                if (parts.Length != 2 || !Supported.Contains(parts[0].Trim()))
                {
                    throw new ApiError(400, "BadRequest", $"field label not supported: {parts[0].Trim()}");
                }

                selector._terms.Add((parts[0].Trim(), !notEqual, parts[1].TrimStart('=').Trim()));
            }

            return selector;
        }

        public bool Matches(JsonObject obj)
        {
            foreach (var (field, equal, value) in _terms)
            {
                string? actual = field switch
                {
                    "metadata.name" => (string?)obj["metadata"]?["name"],
                    "metadata.namespace" => (string?)obj["metadata"]?["namespace"],
                    _ => (string?)obj["status"]?["phase"],
                };
                if ((actual == value) != equal)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>Behaviour switches of <see cref="FakeKubernetesApiServer"/>.</summary>
public sealed class FakeKubernetesApiServerOptions
{
    /// <summary>Create a Job's pods and keep its status in step with them (default true).</summary>
    public bool SimulateJobController { get; set; } = true;

    /// <summary>Clock for timestamps and watch timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
