using System.Reflection;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Users;
using ImagingRepo.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ImagingRepo.Client.Tests.Models;

/// <summary>
/// The client's models against the reference spec: every property of every request and response body has a member
/// (and no member lacks a property), every enum value is known, every operation has a client method. A change of
/// the spec file fails here until the models follow.
/// </summary>
public sealed class SpecDriftTests
{
    /// <summary>(path, method, status or "request", step into the schema, model, also check model → spec).</summary>
    public static TheoryData<string, string, string, string, Type, bool> Bodies => new()
    {
        { "/datasets", "post", "request", "", typeof(DatasetCreationRequest), true },
        { "/datasets", "post", "201", "", typeof(DatasetCreated), true },
        { "/datasets", "get", "200", "", typeof(DatasetPage), true },
        { "/datasets/{id}", "get", "200", "", typeof(DatasetDetails), true },
        { "/datasets/{id}/studies", "get", "200", "", typeof(StudyPage), true },
        { "/datasets/{id}/creationStatus", "get", "200", "", typeof(DatasetCreationStatus), true },
        { "/datasets/{id}/checkIntegrity", "post", "200", "", typeof(OperationResult), true },
        { "/datasets/{id}/accessHistory", "get", "200", "", typeof(DatasetAccessPage), true },
        { "/datasets/{id}/acl", "get", "200", "items", typeof(AclEntry), true },
        { "/upgradableDatasets", "get", "200", "items", typeof(UpgradableDataset), true },
        { "/users", "get", "200", "", typeof(UserPage), true },
        { "/users/{username}", "put", "request", "", typeof(UserPut), true },
        { "/users/{username}", "get", "200", "oneOf/1", typeof(UserDetails), true },
        { "/users/{username}", "get", "200", "oneOf/0", typeof(UserDetails), false },
        { "/users/{username}/managementJobs", "get", "200", "items", typeof(ManagementJob), true },
        { "/sites", "get", "200", "items", typeof(SiteSummary), true },
        { "/sites/{code}", "put", "request", "", typeof(SiteDetails), false },
        { "/sites/{code}", "get", "200", "", typeof(SiteDetails), true },
        { "/projects", "get", "200", "oneOf/1", typeof(ProjectList), true },
        { "/projects/{code}", "put", "request", "", typeof(ProjectPut), true },
        { "/projects/{code}", "get", "200", "", typeof(ProjectDetails), true },
        { "/projects/{code}/config", "get", "200", "", typeof(ProjectConfig), true },
        { "/projects/{code}/config", "put", "request", "", typeof(ProjectConfig), true },
        { "/projects/{code}/subprojects", "get", "200", "", typeof(SubprojectList), true },
        { "/projects/{code}/subprojects/{subcode}", "put", "request", "", typeof(Subproject), false },
        { "/licenses", "get", "200", "items", typeof(License), true },
        { "/datasetAccessCheck", "post", "request", "", typeof(DatasetAccessCheckRequest), true },
        { "/datasetAccess/{id}", "post", "request", "", typeof(DatasetAccessRequest), true },
        { "/datasetAccess/{id}", "patch", "request", "", typeof(DatasetAccessEnd), true },
    };

    /// <summary>Component schemas and the models that carry them (checked spec → model; bodies above check both ways).</summary>
    private static readonly Dictionary<string, Type?> ComponentModels = new(StringComparer.Ordinal)
    {
        ["DatasetListItem"] = typeof(DatasetListItem),
        ["DatasetCreationObject"] = typeof(DatasetCreationRequest),
        ["StudyCreationObject"] = typeof(StudyCreation),
        ["DatasetDetails"] = typeof(DatasetDetails),
        ["Study"] = typeof(Study),
        ["Series"] = typeof(Series),
        ["Subject"] = typeof(Subject),
        ["UserListItem"] = typeof(UserListItem),
        ["User"] = typeof(UserDetails),
        ["SiteDetails"] = typeof(SiteDetails),
        ["ProjectDetails"] = typeof(ProjectDetails),
        ["ProjectConfig"] = typeof(ProjectConfig),
        ["Subproject"] = typeof(Subproject),
        ["License"] = typeof(License),
        ["DatasetAccess"] = typeof(DatasetAccess),
        ["ErrorResponse"] = null, // read by ApiProblem.Parse (error → Detail, status_code → Status): ClientPipelineTests.Refusals_surface_as_typed_exceptions_with_the_servers_detail
    };

    /// <summary>Every operation of the spec and the client method that calls it (nameof: a renamed method fails the build).</summary>
    private static readonly Dictionary<string, string> Operations = new(StringComparer.Ordinal)
    {
        ["GET /version"] = $"{nameof(RepositoryClient)}.{nameof(RepositoryClient.GetServiceVersionAsync)}",
        ["GET /health"] = $"{nameof(RepositoryClient)}.{nameof(RepositoryClient.GetHealthAsync)}",
        ["listMainIndex"] = $"{nameof(RepositoryClient)}.{nameof(RepositoryClient.GetServiceIndexAsync)}",
        ["createDataset"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.StartCreateDatasetAsync)}",
        ["listDatasets"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.GetDatasetsAsync)}",
        ["getDataset"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.GetDatasetAsync)}",
        ["modifyDataset"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.UpdatePropertyAsync)}",
        ["deleteDataset"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.DeleteDatasetAsync)}",
        ["getDatasetStudies"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.GetStudiesAsync)}",
        ["getDatasetCreationStatus"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.GetCreationStatusAsync)}",
        ["checkDatasetIntegrity"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.CheckIntegrityAsync)}",
        ["relaunchDatasetCreationJob"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.RestartCreationAsync)}",
        ["readjustFilePermissions"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.ReadjustFilePermissionsAsync)}",
        ["recollectMetadataForDataset"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.RecollectMetadataAsync)}",
        ["listUpgradableDatasets"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.GetUpgradableDatasetsAsync)}",
        ["listLicenses"] = $"{nameof(DatasetsClient)}.{nameof(DatasetsClient.GetLicensesAsync)}",
        ["getDatasetAccessHistory"] = $"{nameof(AccessClient)}.{nameof(AccessClient.GetAccessHistoryAsync)}",
        ["getDatasetACL"] = $"{nameof(AccessClient)}.{nameof(AccessClient.GetAclAsync)}",
        ["putUserToDatasetACL"] = $"{nameof(AccessClient)}.{nameof(AccessClient.AddToAclAsync)}",
        ["deleteUserFromDatasetACL"] = $"{nameof(AccessClient)}.{nameof(AccessClient.RemoveFromAclAsync)}",
        ["checkDatasetAccess"] = $"{nameof(AccessClient)}.{nameof(AccessClient.CheckAccessAsync)}",
        ["createDatasetAccess"] = $"{nameof(AccessClient)}.{nameof(AccessClient.CreateAccessAsync)}",
        ["closeDatasetAccess"] = $"{nameof(AccessClient)}.{nameof(AccessClient.CloseAccessAsync)}",
        ["listUsers"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetUsersAsync)}",
        ["createUser"] = $"{nameof(UsersClient)}.{nameof(UsersClient.PutUserAsync)}",
        ["getUser"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetUserAsync)}",
        ["listUserManagementJobs"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetManagementJobsAsync)}",
        ["getUserManagementJobLog"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetManagementJobLogAsync)}",
        ["listUserRoles"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetRolesAsync)}",
        ["listSites"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetSitesAsync)}",
        ["createSite"] = $"{nameof(UsersClient)}.{nameof(UsersClient.PutSiteAsync)}",
        ["getSite"] = $"{nameof(UsersClient)}.{nameof(UsersClient.GetSiteAsync)}",
        ["listProjects"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.GetProjectsAsync)}",
        ["createProject"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.PutProjectAsync)}",
        ["getProject"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.GetProjectAsync)}",
        ["modifyProject"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.UpdatePropertyAsync)}",
        ["deleteProject"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.DeleteProjectAsync)}",
        ["putProjectLogo"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.SetLogoAsync)}",
        ["setProjectConfig"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.SetConfigAsync)}",
        ["getProjectConfig"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.GetConfigAsync)}",
        ["listSubprojects"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.GetSubprojectsAsync)}",
        ["putSubproject"] = $"{nameof(ProjectsClient)}.{nameof(ProjectsClient.PutSubprojectAsync)}",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Body_schema_and_model_have_the_same_members(string path, string method, string status, string step, Type model, bool bothWays)
    {
        var spec = Load();
        var schema = Step(spec, spec.Resolve(spec.Body(path, method, status)), step);
        var failures = new List<string>();
        CheckObject(spec, schema, model, $"{method.ToUpperInvariant()} {path} {status}", bothWays, failures);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Every_object_schema_of_the_components_has_its_model()
    {
        var spec = Load();
        var failures = new List<string>();
        foreach (var (key, value) in spec.Schemas.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var schema = (YamlMappingNode)value;
            if (spec.Properties(schema).Count == 0) continue; // a constrained string (codes, URLs)
            if (!ComponentModels.TryGetValue(name, out var model))
            {
                failures.Add($"components/schemas/{name} has no model: add one to the client and to ComponentModels");
                continue;
            }

            if (model is not null) CheckObject(spec, schema, model, "components/schemas/" + name, bothWays: false, failures);
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Every_operation_has_a_client_method()
    {
        var spec = Load();
        var missing = new List<string>();
        foreach (var (pathKey, pathValue) in spec.Paths.Children)
        {
            foreach (var (methodKey, methodValue) in ((YamlMappingNode)pathValue).Children)
            {
                var method = ((YamlScalarNode)methodKey).Value!;
                if (method is "parameters" or "summary" or "description") continue;
                var id = ReferenceSpec.Scalar((YamlMappingNode)methodValue, "operationId") ?? $"{method.ToUpperInvariant()} {((YamlScalarNode)pathKey).Value}";
                if (!Operations.ContainsKey(id)) missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, "operations without a client method: " + string.Join(", ", missing));
        var clients = typeof(RepositoryClient).Assembly.GetExportedTypes().ToDictionary(t => t.Name, StringComparer.Ordinal);
        Assert.All(Operations.Values, target =>
        {
            var (type, name) = (target.Split('.')[0], target.Split('.')[1]);
            Assert.Contains(clients[type].GetMethods(BindingFlags.Public | BindingFlags.Instance), m => m.Name == name);
        });
    }

    [Fact]
    public void Enum_parameters_and_patch_properties_match_the_spec()
    {
        var spec = Load();
        var failures = new List<string>();
        CheckEnum(Parameter(spec, "/datasets", "get", "sortBy"), typeof(DatasetSortKey), "GET /datasets sortBy", failures);
        CheckEnum(Parameter(spec, "/datasets", "get", "sortDirection"), typeof(SortDirection), "GET /datasets sortDirection", failures);
        CheckEnum(Parameter(spec, "/projects", "get", "purpose"), typeof(ProjectListPurpose), "GET /projects purpose", failures,
            documentedElsewhere: ["userManagement"]); // described in the parameter's text, missing from its enum
        CheckEnum(Parameter(spec, "/users/{username}", "get", "scope"), typeof(UserDetailScope), "GET /users/{username} scope", failures);
        CheckEnum(spec.EnumValues(spec.Body("/index", "get", "200")), typeof(ServiceSection), "GET /index", failures);
        CheckEnum(spec.EnumValues(spec.Properties(spec.Body("/datasets/{id}", "patch", "request"))["property"]), typeof(DatasetProperty),
            "PATCH /datasets/{id} property", failures);
        CheckEnum(spec.EnumValues(spec.Properties(spec.Body("/projects/{code}", "patch", "request"))["property"]), typeof(ProjectProperty),
            "PATCH /projects/{code} property", failures);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static ReferenceSpec Load() =>
        ReferenceSpec.TryLoad() ?? TestEnvironment.Unavailable<ReferenceSpec>("the reference spec (../shared/reference/chaimeleon-dataset-service-api-v1.yaml)");

    private static YamlMappingNode Step(ReferenceSpec spec, YamlMappingNode schema, string step)
    {
        var segments = step.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            schema = segments[i] switch
            {
                "items" => spec.Resolve(ReferenceSpec.Map(schema, "items")),
                "oneOf" => spec.Resolve((YamlMappingNode)((YamlSequenceNode)schema.Children[new YamlScalarNode("oneOf")])
                    .Children[int.Parse(segments[++i], System.Globalization.CultureInfo.InvariantCulture)]),
                var other => throw new InvalidOperationException("unknown step " + other),
            };
        }

        return schema;
    }

    private static IReadOnlyList<string>? Parameter(ReferenceSpec spec, string path, string method, string name)
    {
        var parameters = (YamlSequenceNode)ReferenceSpec.Map(ReferenceSpec.Map(spec.Paths, path), method).Children[new YamlScalarNode("parameters")];
        var parameter = parameters.Children.Cast<YamlMappingNode>().Single(p => ReferenceSpec.Scalar(p, "name") == name);
        return spec.EnumValues(ReferenceSpec.Map(parameter, "schema"));
    }

    private static void CheckObject(ReferenceSpec spec, YamlMappingNode schema, Type model, string where, bool bothWays, List<string> failures)
    {
        var info = ClientJsonContext.Default.GetTypeInfo(model) ?? throw new InvalidOperationException($"{model.Name} is not in ClientJsonContext");
        var members = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var properties = spec.Properties(schema);
        foreach (var (name, propertySchema) in properties)
        {
            if (!members.TryGetValue(name, out var member))
            {
                failures.Add($"{where}: property '{name}' has no member in {model.Name}");
                continue;
            }

            CheckValue(spec, propertySchema, member.PropertyType, $"{where}.{name}", bothWays, failures);
        }

        if (!bothWays) return;
        foreach (var name in members.Keys.Where(m => !properties.ContainsKey(m)))
        {
            failures.Add($"{model.Name}.{name}: not a property of {where}");
        }
    }

    private static void CheckValue(ReferenceSpec spec, YamlMappingNode schema, Type clr, string where, bool bothWays, List<string> failures)
    {
        schema = spec.Resolve(schema);
        var element = Nullable.GetUnderlyingType(clr) ?? clr;
        if (element.IsGenericType && element.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>)))
        {
            if (ReferenceSpec.Scalar(schema, "type") != "array") failures.Add($"{where}: the model has a list, the spec a {ReferenceSpec.Scalar(schema, "type")}");
            else CheckValue(spec, ReferenceSpec.Map(schema, "items"), element.GetGenericArguments()[0], where + "[]", bothWays, failures);
            return;
        }

        if (element == typeof(System.Text.Json.JsonElement)) return; // free JSON: eForm
        if (IsExtensibleEnum(element))
        {
            CheckEnum(spec.EnumValues(schema), element, where, failures);
            return;
        }

        if (spec.Properties(schema).Count > 0)
        {
            CheckObject(spec, schema, element, where, bothWays, failures);
            return;
        }

        var type = ReferenceSpec.Scalar(schema, "type");
        var expected = type switch
        {
            "string" when ReferenceSpec.Scalar(schema, "format") == "date-time" => typeof(DateTimeOffset),
            "string" => typeof(string),
            "boolean" => typeof(bool),
            "integer" => element == typeof(long) ? typeof(long) : typeof(int),
            null => element, // an allOf of a constrained string: compared through its own schema
            _ => null,
        };
        if (type is null && schema.Children.ContainsKey(new YamlScalarNode("allOf"))) return;
        if (expected != element) failures.Add($"{where}: the spec says {type}, the model has {element.Name}");
    }

    private static bool IsExtensibleEnum(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExtensibleEnum<>));

    private static void CheckEnum(IReadOnlyList<string>? specValues, Type model, string where, List<string> failures, string[]? documentedElsewhere = null)
    {
        if (specValues is null) return; // the spec leaves the values open (e.g. editablePropertiesByTheUser)
        var known = ((System.Collections.IEnumerable)model.GetProperty("KnownValues")!.GetValue(null)!).Cast<object>().Select(v => v.ToString()!).ToHashSet(StringComparer.Ordinal);
        foreach (var value in specValues.Where(v => !known.Contains(v))) failures.Add($"{where}: '{value}' is not a known {model.Name}");
        foreach (var value in known.Where(v => !specValues.Contains(v) && !(documentedElsewhere ?? []).Contains(v)))
        {
            failures.Add($"{where}: {model.Name} knows '{value}', which the spec does not list");
        }
    }
}
