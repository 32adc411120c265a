using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;

namespace ImagingRepo.Inference;

/// <summary>What to run: a model over the selected series of a dataset (or folder), results into a folder.</summary>
public sealed record InferenceRequest
{
    /// <summary>The <c>.onnx</c> file (its sidecar <c>.json</c> beside it is read when present).</summary>
    public required string ModelPath { get; init; }

    /// <summary>A mounted dataset (a folder with <c>index.json</c>) or any folder of DICOM files.</summary>
    public required string DatasetFolder { get; init; }

    /// <summary>Where results and the summary go (in-cluster: the user's persistent home, never the read-only dataset).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Which series to run on; every series when null.</summary>
    public SeriesSelector? Selector { get; init; }

    /// <summary>Device, fallback, threads, sessions.</summary>
    public ModelRuntimeOptions Runtime { get; init; } = new();

    /// <summary>Assembly and output options.</summary>
    public InferencePipelineOptions Pipeline { get; init; } = new();
}
