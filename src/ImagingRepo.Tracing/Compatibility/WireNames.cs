using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>The wire names of an enum, read from its <see cref="JsonStringEnumMemberNameAttribute"/>s (what the canonical JSON writes).</summary>
internal static class WireNames<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> Names = typeof(T)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

    private static readonly FrozenDictionary<string, T> Values = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string NameOf(T value) =>
        Names.TryGetValue(value, out var name) ? name : throw new TraceFormatException($"{typeof(T).Name} {value} has no wire name");

    public static bool TryParse(string name, out T value) => Values.TryGetValue(name, out value);
}

/// <summary>
/// The tracers' names of the user actions. Requests (V1 and v2) and ImagingRepo's canonical JSON say <c>CREATE_MODEL</c>
/// and <c>USE_MODELS</c>; the CHAIMELEON tracer stores and lists them as <c>CREATE_MODEL_POD</c> and <c>USE_MODEL_POD</c>.
/// Both spellings are read everywhere.
/// </summary>
internal static class TracerActionNames
{
    public const string CreateModelPod = "CREATE_MODEL_POD";
    public const string UseModelPod = "USE_MODEL_POD";

    public static string Stored(TraceUserAction action) => action switch
    {
        TraceUserAction.CreateModel => CreateModelPod,
        TraceUserAction.UseModels => UseModelPod,
        _ => WireNames<TraceUserAction>.NameOf(action),
    };

    public static string Request(TraceUserAction action) => WireNames<TraceUserAction>.NameOf(action);

    public static bool TryParse(string name, out TraceUserAction action)
    {
        switch (name)
        {
            case CreateModelPod:
                action = TraceUserAction.CreateModel;
                return true;
            case UseModelPod:
                action = TraceUserAction.UseModels;
                return true;
            default:
                return WireNames<TraceUserAction>.TryParse(name, out action);
        }
    }
}
