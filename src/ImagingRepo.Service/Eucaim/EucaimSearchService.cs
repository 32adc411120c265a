using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingRepo.Service.Creation.Metadata;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Eucaim;

/// <summary>One collection of the answer: a published dataset with studies that match.</summary>
internal sealed record EucaimCollectionWire(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("studies_count")] int StudiesCount,
    [property: JsonPropertyName("subjects_count")] int SubjectsCount,
    [property: JsonPropertyName("age_range")] EucaimAgeRangeWire AgeRange,
    [property: JsonPropertyName("gender")] IReadOnlyList<string> Gender,
    [property: JsonPropertyName("modality")] IReadOnlyList<string> Modality,
    [property: JsonPropertyName("body_parts")] IReadOnlyList<string> BodyParts,
    [property: JsonPropertyName("description")] string Description);

/// <summary>The age range of a collection in years; always an object (0 and 0 when no age is known, as CHAIMELEON's min).</summary>
internal sealed record EucaimAgeRangeWire([property: JsonPropertyName("min")] int Min, [property: JsonPropertyName("max")] int Max);

/// <summary><c>{"collections": [...]}</c>.</summary>
internal sealed record EucaimSearchResponse([property: JsonPropertyName("collections")] IReadOnlyList<EucaimCollectionWire> Collections);

/// <summary>
/// EUCAIM's federated search: checks the caller's secret, reads the tree, and counts per published, valid dataset the
/// studies that match and their subjects. Datasets without a matching study are not in the answer.
/// </summary>
internal sealed class EucaimSearchService(Database database, EucaimSearchRepository repository, IOptions<ServiceOptions> options)
{
    /// <summary>404 when no token is configured (the endpoint does not exist), 401 when the header is not <c>Secret &lt;token&gt;</c>.</summary>
    public void Authorize(string? authorization)
    {
        var token = options.Value.EucaimSearchToken;
        if (string.IsNullOrEmpty(token)) throw ServiceProblemException.NotFound("Not found: no EUCAIM search token is configured on this service.");
        var expected = Encoding.UTF8.GetBytes("Secret " + token);
        var given = Encoding.UTF8.GetBytes(authorization ?? "");
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            throw ServiceProblemException.Unauthenticated("The EUCAIM search needs 'Authorization: Secret <token>' with this service's token.");
        }
    }

    public async Task<EucaimSearchResponse> SearchAsync(JsonElement request, CancellationToken cancellationToken)
    {
        EucaimNode tree;
        try
        {
            tree = EucaimSearchTree.Parse(request);
        }
        catch (EucaimSearchException e)
        {
            throw ServiceProblemException.Unprocessable("Request validation error: " + e.Message);
        }

        var datasets = await database.ReadAsync(s => repository.PublishedAsync(s, cancellationToken), cancellationToken).ConfigureAwait(false);
        var collections = new List<EucaimCollectionWire>();
        foreach (var dataset in datasets)
        {
            var matching = dataset.Studies.Where(study => EucaimMatcher.Matches(tree, study)).ToList();
            if (matching.Count == 0) continue;
            var ages = dataset.Studies.Where(s => s.AgeInDays is not null).Select(s => s.AgeInDays!.Value).ToList();
            collections.Add(new EucaimCollectionWire(
                dataset.Id,
                dataset.Name,
                matching.Count,
                matching.Select(s => s.SubjectName).Distinct(StringComparer.Ordinal).Count(),
                ages.Count == 0 ? new EucaimAgeRangeWire(0, 0) : new EucaimAgeRangeWire(Years(ages.Min()), Years(ages.Max())),
                [.. dataset.Studies.Select(s => Creation.Metadata.DatasetMetadata.SexToMiabis(s.Sex)).Distinct(StringComparer.Ordinal)],
                [.. dataset.Studies.SelectMany(s => s.Modalities).Distinct(StringComparer.OrdinalIgnoreCase)],
                [.. dataset.Studies.SelectMany(s => s.BodyParts).Distinct(StringComparer.OrdinalIgnoreCase)],
                dataset.Description));
        }

        return new EucaimSearchResponse(collections);
    }

    private static int Years(int days) => (int)Math.Round(days / 365.0, MidpointRounding.ToEven);
}

/// <summary>A published, valid dataset with the searchable facts of its studies.</summary>
internal sealed record EucaimDataset(string Id, string Name, string Description, IReadOnlyList<EucaimStudy> Studies);

/// <summary>Reads what the search needs: published, non-draft, valid datasets, newest first, with their studies' facts.</summary>
internal sealed class EucaimSearchRepository
{
    public async Task<List<EucaimDataset>> PublishedAsync(DbSession session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT d.id, d.name, d.description, s.subject_name, s.metadata FROM datasets d JOIN studies s ON s.dataset_id = d.id " +
            "WHERE d.is_public = TRUE AND d.draft = FALSE AND d.invalidated = FALSE AND d.creating = FALSE " +
            "ORDER BY d.creation_date DESC, d.id, s.ordinal",
            r => (Id: r.GetString(0), Name: r.GetString(1), Description: r.GetString(2), Subject: r.GetString(3), Metadata: r.IsDBNull(4) ? null : r.GetString(4)),
            parameters: null, cancellationToken).ConfigureAwait(false);
        var datasets = new List<EucaimDataset>();
        foreach (var group in rows.GroupBy(r => r.Id, StringComparer.Ordinal))
        {
            var first = group.First();
            datasets.Add(new EucaimDataset(first.Id, first.Name, first.Description, [.. group.Select(r => Study(r.Subject, r.Metadata))]));
        }

        return datasets;
    }

    private static EucaimStudy Study(string subject, string? json)
    {
        var metadata = StudyMetadataJson.Read(json);
        return new EucaimStudy(subject, metadata?.Sex, metadata?.Age?.InDays, metadata?.Diagnosis, metadata?.DiagnosisYear,
            metadata?.Modalities ?? [], metadata?.BodyParts ?? [], metadata?.Manufacturers ?? []);
    }
}

/// <summary>
/// The JSON of a study's <see cref="StudyMetadata"/> as the service keeps it (the <c>metadata</c> column of
/// <c>studies</c>): what creation learned, read back by the searches. A value that cannot be read counts as unknown.
/// </summary>
internal static class StudyMetadataJson
{
    public static string Write(StudyMetadata metadata) => JsonSerializer.Serialize(metadata, StudyMetadataJsonContext.Default.StudyMetadata);

    public static StudyMetadata? Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonSerializer.Deserialize(json, StudyMetadataJsonContext.Default.StudyMetadata);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Source-generated JSON of <see cref="StudyMetadata"/>.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(StudyMetadata))]
internal sealed partial class StudyMetadataJsonContext : JsonSerializerContext;
