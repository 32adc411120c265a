using System.Text.Json.Serialization;

namespace ImagingRepo.Inference.Runtime;

/// <summary>What a model's output means.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelTask>))]
public enum ModelTask
{
    /// <summary>Per-voxel labels or probabilities: written as DICOM Segmentation.</summary>
    Segmentation = 0,

    /// <summary>One score per class for the whole input: written as a Structured Report.</summary>
    Classification,
}

/// <summary>What a model's (first) output holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelOutputKind>))]
public enum ModelOutputKind
{
    /// <summary>Probabilities per class channel (one channel: the foreground probability, thresholded).</summary>
    Probabilities = 0,

    /// <summary>Unnormalised scores per class channel (softmax, or a sigmoid for one channel).</summary>
    Logits,

    /// <summary>Label values already (one channel; a segment value per voxel).</summary>
    Labels,
}
