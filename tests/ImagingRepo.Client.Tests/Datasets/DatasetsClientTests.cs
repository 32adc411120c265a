using System.Text.Json;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Support;

namespace ImagingRepo.Client.Tests.Datasets;

/// <summary><see cref="DatasetsClient"/> and <see cref="RepositoryClient"/> against the reference service, with persona tokens.</summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class DatasetsClientTests(ReferenceService service)
{
    internal static DatasetCreationRequest NewDataset(string name, int studies = 2, string project = "ALPHA") => new()
    {
        Name = name,
        Version = "1",
        Project = project,
        Description = "A dataset made by the client tests.",
        Provenance = "synthetic",
        Purpose = "tests",
        Type = [DatasetType.Original],
        CollectionMethod = [CollectionMethod.Cohort],
        Studies = [.. Enumerable.Range(0, studies).Select(i => new StudyCreation
        {
            StudyId = $"study-{i}",
            StudyName = $"CT{i}",
            SubjectName = $"SUBJ-{i / 2}",
            PathInDatalake = $"provider/SUBJ-{i / 2}/CT{i}",
            Series = [new Series { FolderName = "1", Tags = ["AXIAL"] }],
            Url = $"https://explorer.example/studies/{i}",
        })],
        Subjects = [.. Enumerable.Range(0, (studies + 1) / 2).Select(i => new Subject
        {
            SubjectName = $"SUBJ-{i}",
            SubjectId = $"id{i}",
            EForm = JsonDocument.Parse($$"""{"age": {{60 + i}}}""").RootElement.Clone(),
        })],
    };

    internal static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    [SkippableFact]
    public async Task Created_dataset_goes_through_its_lifecycle()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        var name = Unique("client lifecycle");

        var operation = await curator.Datasets.StartCreateDatasetAsync(NewDataset(name, studies: 3));
        var statuses = new List<DatasetCreationStatus>();
        var created = await operation.WaitForCompletionAsync(new SynchronousProgress<DatasetCreationStatus>(statuses.Add));

        Assert.Equal(operation.Id, created.Id);
        Assert.Equal(name, created.Name);
        Assert.Equal(3, created.StudiesCount);
        Assert.Equal(2, created.SubjectsCount);
        Assert.True(created.Draft);
        Assert.Contains(DatasetType.Original, created.Type!);
        Assert.Equal(DatasetCreationState.Finished, statuses[^1].Status);
        Assert.Contains(DatasetProperty.Draft, created.EditablePropertiesByTheUser!);

        var studies = new List<Study>();
        await foreach (var study in curator.Datasets.GetStudiesAsync(operation.Id)) studies.Add(study);
        Assert.Equal(["study-0", "study-1", "study-2"], studies.Select(s => s.StudyId).Order(StringComparer.Ordinal));
        Assert.Equal("AXIAL", studies[0].Series![0].Tags![0]);

        await curator.Datasets.ReleaseAsync(operation.Id);
        Assert.False((await curator.Datasets.GetDatasetAsync(operation.Id)).Draft);
        using var superadmin = service.ClientOf("persona-superadmin");
        await superadmin.Datasets.PublishAsync(operation.Id);
        Assert.True((await curator.Datasets.GetDatasetAsync(operation.Id)).Public);
        await superadmin.Datasets.UnpublishAsync(operation.Id);
        await curator.Datasets.InvalidateAsync(operation.Id, "It contains corrupted data");
        var invalidated = await curator.Datasets.GetDatasetAsync(operation.Id);
        Assert.True(invalidated.Invalidated);
        Assert.Equal("It contains corrupted data", invalidated.InvalidationReason);
        await curator.Datasets.ReactivateAsync(operation.Id);
        Assert.False((await curator.Datasets.GetDatasetAsync(operation.Id)).Invalidated);

        // A released dataset's content is fixed: going back to draft is a state conflict.
        var conflict = await Assert.ThrowsAsync<StateConflictException>(() =>
            curator.Datasets.UpdatePropertyAsync(operation.Id, DatasetProperty.Draft, JsonSerializer.SerializeToElement(true)));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.Status);
        Assert.False(string.IsNullOrEmpty(conflict.Problem?.Detail));
    }

    [SkippableFact]
    public async Task Lists_filter_and_page_through_the_service()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        var tag = "t" + Guid.NewGuid().ToString("N")[..8].Replace('0', 'a').Replace('1', 'b').Replace('2', 'c').Replace('3', 'd')
            .Replace('4', 'e').Replace('5', 'f').Replace('6', 'g').Replace('7', 'h').Replace('8', 'i').Replace('9', 'j');
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var operation = await curator.Datasets.StartCreateDatasetAsync(NewDataset(Unique($"client paging {i}"), studies: 1));
            await operation.WaitForCompletionAsync();
            await curator.Datasets.UpdatePropertyAsync(operation.Id, DatasetProperty.Tags, JsonSerializer.SerializeToElement(new[] { tag }));
            ids.Add(operation.Id);
        }

        var small = new DatasetsClient(service.Api, service.Persona("persona-curator"), new DatasetsClientOptions { PageSize = 3 });
        var listed = new List<DatasetListItem>();
        await foreach (var item in small.GetDatasetsAsync(new DatasetQuery { Tags = [tag], SortBy = DatasetSortKey.Name, SortDirection = SortDirection.Descending }))
        {
            listed.Add(item);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(d => d.Id!).Order(StringComparer.Ordinal));
        Assert.Equal(listed.Select(d => d.Name).OrderDescending(StringComparer.OrdinalIgnoreCase), listed.Select(d => d.Name));
        var page = await curator.Datasets.GetDatasetPageAsync(new DatasetQuery { Tags = [tag] }, skip: 2, limit: 3);
        Assert.Equal(7, page.Total);
        Assert.Equal(3, page.Returned);
        Assert.Equal(2, page.Skipped);
        Assert.Contains(DatasetListAction.Create, page.AllowedActionsForTheUser!);
        await curator.Datasets.ReleaseAsync(ids[0]);
        Assert.Contains(await curator.Datasets.GetUpgradableDatasetsAsync("ALPHA"), d => d.Id == ids[0]);
    }

    [SkippableFact]
    public async Task Refusals_are_typed_and_carry_the_servers_detail()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var foreign = service.ClientOf("persona-foreign");
        using var anonymous = new RepositoryClient(service.Api);
        var operation = await curator.Datasets.StartCreateDatasetAsync(NewDataset(Unique("client refusals"), studies: 1));
        await operation.WaitForCompletionAsync();

        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(() => curator.Datasets.GetDatasetAsync(Guid.NewGuid().ToString()));
        Assert.Equal(404, missing.Problem!.Status);
        Assert.False(string.IsNullOrEmpty(missing.Problem.Detail));
        Assert.StartsWith("GET datasets/", missing.Operation, StringComparison.Ordinal);

        var invalid = await Assert.ThrowsAsync<InvalidRequestException>(() => curator.Datasets.StartCreateDatasetAsync(NewDataset("x")));
        Assert.Contains("name", invalid.Problem!.Detail!, StringComparison.OrdinalIgnoreCase);

        var denied = await Assert.ThrowsAnyAsync<ImagingRepoRequestException>(() => foreign.Datasets.ReleaseAsync(operation.Id));
        Assert.True(denied is AccessDeniedException or ResourceNotFoundException, denied.ToString());
        await Assert.ThrowsAsync<AccessDeniedException>(() => curator.Datasets.CheckIntegrityAsync(operation.Id));
        await Assert.ThrowsAsync<AuthenticationRequiredException>(() => anonymous.Datasets.StartCreateDatasetAsync(NewDataset(Unique("anonymous"))));
        await Assert.ThrowsAsync<AccessDeniedException>(() => curator.Datasets.RestartCreationAsync(operation.Id));
        using var superadmin = service.ClientOf("persona-superadmin");
        await Assert.ThrowsAsync<StateConflictException>(() => superadmin.Datasets.RestartCreationAsync(operation.Id));
    }

    [SkippableFact]
    public async Task Maintenance_and_general_operations_answer()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var superadmin = service.ClientOf("persona-superadmin");
        var operation = await curator.Datasets.StartCreateDatasetAsync(NewDataset(Unique("client maintenance"), studies: 1));
        await operation.WaitForCompletionAsync();

        Assert.NotNull(await superadmin.Datasets.CheckIntegrityAsync(operation.Id));
        Assert.NotNull(await superadmin.Datasets.RecollectMetadataAsync(operation.Id));
        await superadmin.Datasets.ReadjustFilePermissionsAsync(operation.Id);
        Assert.NotEmpty(await curator.Datasets.GetLicensesAsync());
        Assert.False(string.IsNullOrEmpty(await curator.GetServiceVersionAsync()));
        Assert.False(string.IsNullOrEmpty(await curator.GetHealthAsync()));
        Assert.Contains(ServiceSection.Datasets, await curator.GetServiceIndexAsync());

        // A draft may be deleted by its author only while it is being created; afterwards it is invalidated instead.
        var deleted = await Record.ExceptionAsync(() => curator.Datasets.DeleteDatasetAsync(operation.Id));
        Assert.True(deleted is null or StateConflictException or InvalidRequestException, deleted?.ToString());
    }
}
