using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingRepo.Service.Access;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Eucaim;
using ImagingRepo.Service.Projects;
using ImagingRepo.Service.Traces;
using ImagingRepo.Service.Users;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// Source-generated JSON of every request and answer: camelCase names as the v1 API writes them, and requests with a
/// property the operation does not know are refused (400) instead of silently ignored.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DatasetCreationBody))]
[JsonSerializable(typeof(DatasetCreatedResponse))]
[JsonSerializable(typeof(PropertyPatchBody))]
[JsonSerializable(typeof(DatasetListWire))]
[JsonSerializable(typeof(DatasetDetailsWire))]
[JsonSerializable(typeof(PageWire<StudyWire>))]
[JsonSerializable(typeof(CreationStatusWire))]
[JsonSerializable(typeof(OperationResultWire))]
[JsonSerializable(typeof(List<DatasetOperationResultWire>))]
[JsonSerializable(typeof(List<UpgradableDatasetWire>))]
[JsonSerializable(typeof(List<LicenseWire>))]
[JsonSerializable(typeof(AccessCheckBody))]
[JsonSerializable(typeof(DatasetAccessBody))]
[JsonSerializable(typeof(DatasetAccessEndBody))]
[JsonSerializable(typeof(List<AclEntryWire>))]
[JsonSerializable(typeof(PageWire<DatasetAccessWire>))]
[JsonSerializable(typeof(ProjectBody))]
[JsonSerializable(typeof(ProjectConfigBody))]
[JsonSerializable(typeof(SubprojectBody))]
[JsonSerializable(typeof(ProjectListWire))]
[JsonSerializable(typeof(ProjectDetailsWire))]
[JsonSerializable(typeof(ProjectConfigWire))]
[JsonSerializable(typeof(SubprojectListWire))]
[JsonSerializable(typeof(UserBody))]
[JsonSerializable(typeof(PageWire<UserListItemWire>))]
[JsonSerializable(typeof(UserGidWire))]
[JsonSerializable(typeof(UserDetailsWire))]
[JsonSerializable(typeof(List<ManagementJobWire>))]
[JsonSerializable(typeof(SiteBody))]
[JsonSerializable(typeof(SiteWire))]
[JsonSerializable(typeof(List<SiteListItemWire>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<TracerCacheEntryWire>))]
[JsonSerializable(typeof(EucaimSearchResponse))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
