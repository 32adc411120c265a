using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Users;

namespace ImagingRepo.Client.Http;

/// <summary>The body of a property PATCH (<c>{"property", "value"}</c>) of datasets and projects.</summary>
internal sealed record PropertyPatch(string Property, JsonElement Value);

/// <summary>
/// The wire forms of the dataset service API v1, source-generated: camelCase names, nulls left out of requests,
/// members the client does not know ignored (a newer service may add some).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(DatasetPage))]
[JsonSerializable(typeof(DatasetDetails))]
[JsonSerializable(typeof(DatasetCreationRequest))]
[JsonSerializable(typeof(DatasetCreated))]
[JsonSerializable(typeof(DatasetCreationStatus))]
[JsonSerializable(typeof(OperationResult))]
[JsonSerializable(typeof(List<UpgradableDataset>))]
[JsonSerializable(typeof(StudyPage))]
[JsonSerializable(typeof(List<License>))]
[JsonSerializable(typeof(List<ServiceSection>))]
[JsonSerializable(typeof(DatasetAccessPage))]
[JsonSerializable(typeof(List<AclEntry>))]
[JsonSerializable(typeof(DatasetAccessCheckRequest))]
[JsonSerializable(typeof(DatasetAccessRequest))]
[JsonSerializable(typeof(DatasetAccessEnd))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(ProjectList))]
[JsonSerializable(typeof(ProjectDetails))]
[JsonSerializable(typeof(ProjectPut))]
[JsonSerializable(typeof(ProjectConfig))]
[JsonSerializable(typeof(SubprojectList))]
[JsonSerializable(typeof(Subproject))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(UserDetails))]
[JsonSerializable(typeof(UserPut))]
[JsonSerializable(typeof(List<ManagementJob>))]
[JsonSerializable(typeof(List<SiteSummary>))]
[JsonSerializable(typeof(SiteDetails))]
[JsonSerializable(typeof(PropertyPatch))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<DatasetType>))]
[JsonSerializable(typeof(IReadOnlyList<CollectionMethod>))]
[JsonSerializable(typeof(License))]
[JsonSerializable(typeof(DatasetPids))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
