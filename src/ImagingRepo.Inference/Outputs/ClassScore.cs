using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference.Outputs;

/// <summary>One class of a classification and its score (a probability, 0 to 1).</summary>
/// <param name="Label">The class.</param>
/// <param name="Score">Its probability.</param>
public sealed record ClassScore(ModelLabel Label, double Score)
{
    /// <summary>The private coding scheme of classes a model names without a code.</summary>
    public const string PrivateScheme = "99IMGREPO";

    /// <summary>The class as a code: the label's type, else a private code from its value and name.</summary>
    public CodedConcept Code => Label.Type ?? new CodedConcept($"class-{Label.Value}", PrivateScheme, string.IsNullOrEmpty(Label.Name) ? $"Class {Label.Value}" : Label.Name);
}
