using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace ImagingRepo.Tracing.Model;

/// <summary>The tracer V1 names of user actions, as traces carry them in <c>userAction</c>.</summary>
public static class TraceUserActionNames
{
    // Read from the enum's JSON names, so that what people are shown is what the serializer writes, by construction.
    private static readonly FrozenDictionary<TraceUserAction, string> Names = typeof(TraceUserAction)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(
            field => (TraceUserAction)field.GetValue(null)!,
            field => field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name);

    /// <summary>
    /// The name the CHAIMELEON tracer V1 gives <paramref name="action"/> (<c>CREATE_DATASET</c>, <c>UPDATE_DATASET</c>,
    /// <c>USE_DATASETS</c>, <c>CREATE_MODEL</c>, <c>USE_MODELS</c>): what a person comparing with the platform expects
    /// to read, rather than the .NET member name.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <returns>The V1 name; the number for a value this library does not define.</returns>
    public static string ToWireName(this TraceUserAction action) =>
        Names.TryGetValue(action, out var name) ? name : ((int)action).ToString(CultureInfo.InvariantCulture);
}
