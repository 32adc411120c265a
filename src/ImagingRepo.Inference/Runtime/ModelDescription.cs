namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// What a model is and what it expects: identity (name, version, manufacturer, file digest) for provenance, the graph's
/// inputs and outputs, its labels with their codes, and the preprocessing it was trained with. Read from the ONNX file's
/// metadata and, where present, a sidecar JSON that takes precedence.
/// </summary>
public sealed record ModelDescription
{
    /// <summary>The model's name (sidecar <c>name</c>, else the ONNX graph name, else the file name).</summary>
    public required string Name { get; init; }

    /// <summary>The model's version (sidecar <c>version</c>, else the ONNX model version).</summary>
    public required string Version { get; init; }

    /// <summary>Who made it (sidecar <c>manufacturer</c>, else the ONNX producer name).</summary>
    public required string Manufacturer { get; init; }

    /// <summary>A free-text description, possibly empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>SHA-256 of the model file in lowercase hex: the model's identity in traces and result provenance.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Segmentation or classification.</summary>
    public ModelTask Task { get; init; }

    /// <summary>What the first output holds.</summary>
    public ModelOutputKind OutputKind { get; init; }

    /// <summary>The probability above which a single-channel output counts as foreground (default 0.5).</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>The graph's inputs.</summary>
    public required IReadOnlyList<TensorDescription> Inputs { get; init; }

    /// <summary>The graph's outputs.</summary>
    public required IReadOnlyList<TensorDescription> Outputs { get; init; }

    /// <summary>The labels (segments or classes); empty when neither the sidecar nor the model names any.</summary>
    public IReadOnlyList<ModelLabel> Labels { get; init; } = [];

    /// <summary>How a series becomes the input.</summary>
    public required ModelPreprocessing Preprocessing { get; init; }

    /// <summary>The label with a value, or null.</summary>
    /// <param name="value">The label value or class index.</param>
    /// <returns>The label.</returns>
    public ModelLabel? FindLabel(int value)
    {
        foreach (var label in Labels)
        {
            if (label.Value == value)
            {
                return label;
            }
        }

        return null;
    }
}
