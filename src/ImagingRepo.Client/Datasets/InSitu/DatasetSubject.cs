using System.Text.Json;

namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>A subject of a dataset: its pseudonymous name and its clinical form from <c>eforms.json</c>.</summary>
/// <param name="SubjectName">The pseudonymous subject name, the key shared by <c>index.json</c> and <c>eforms.json</c>.</param>
/// <param name="EForm">The clinical form as JSON (its structure is the platform's; read it with <see cref="JsonElement"/>).</param>
public sealed record DatasetSubject(string SubjectName, JsonElement EForm);
