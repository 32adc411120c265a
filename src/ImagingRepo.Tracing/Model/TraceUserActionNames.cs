namespace ImagingRepo.Tracing.Model;

/// <summary>The tracer V1 names of user actions, as traces carry them in <c>userAction</c>.</summary>
public static class TraceUserActionNames
{
    /// <summary>
    /// The name the CHAIMELEON tracer V1 gives <paramref name="action"/> (<c>CREATE_DATASET</c>, <c>UPDATE_DATASET</c>,
    /// <c>USE_DATASETS</c>, <c>CREATE_MODEL</c>, <c>USE_MODELS</c>): what a person comparing with the platform expects
    /// to read, rather than the .NET member name.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <returns>The V1 name; the number for a value this library does not define.</returns>
    public static string ToWireName(this TraceUserAction action) => action switch
    {
        TraceUserAction.CreateDataset => "CREATE_DATASET",
        TraceUserAction.UpdateDataset => "UPDATE_DATASET",
        TraceUserAction.UseDatasets => "USE_DATASETS",
        TraceUserAction.CreateModel => "CREATE_MODEL",
        TraceUserAction.UseModels => "USE_MODELS",
        _ => ((int)action).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
