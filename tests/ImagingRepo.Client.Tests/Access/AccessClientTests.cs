using ImagingRepo.Client.Access;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Datasets;
using ImagingRepo.Client.Tests.Support;

namespace ImagingRepo.Client.Tests.Access;

/// <summary><see cref="AccessClient"/> against the reference service: checks, access records, ACL and history.</summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class AccessClientTests(ReferenceService service)
{
    [SkippableFact]
    public async Task Access_is_checked_recorded_closed_and_listed()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var operatorClient = service.ClientOf("persona-access-admin");
        var operation = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("client access"), studies: 1));
        await operation.WaitForCompletionAsync();
        await curator.Datasets.ReleaseAsync(operation.Id);
        var missing = Guid.NewGuid().ToString();

        var granted = await operatorClient.Access.CheckAccessAsync("reader", [operation.Id]);
        var refused = await operatorClient.Access.CheckAccessAsync("foreign", [operation.Id, missing]);

        Assert.True(granted.Granted);
        Assert.Empty(granted.DeniedDatasetIds);
        Assert.False(refused.Granted);
        Assert.Contains(missing, refused.DeniedDatasetIds);

        var accessId = Guid.NewGuid().ToString();
        await operatorClient.Access.CreateAccessAsync(accessId, new DatasetAccessRequest
        {
            UserName = "reader", Datasets = [operation.Id], InstanceName = "job-1", ToolName = "client-tests", ToolVersion = "1.0",
        });
        await operatorClient.Access.CloseAccessAsync(accessId, new DatasetAccessEnd
        {
            Status = "succeeded", StartTime = "2026-01-12T13:11:48Z", EndTime = "2026-01-12T15:31:14Z",
        });
        var history = new List<DatasetAccess>();
        await foreach (var access in operatorClient.Access.GetAccessHistoryAsync(operation.Id)) history.Add(access);

        var recorded = Assert.Single(history);
        Assert.Equal("reader", recorded.Username);
        Assert.Equal("client-tests", recorded.ToolName);
        Assert.Equal("job-1", recorded.InstanceName);
        Assert.Equal("succeeded", recorded.EndStatus);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => operatorClient.Access.CreateAccessAsync(Guid.NewGuid().ToString(),
            new DatasetAccessRequest { UserName = "foreign", Datasets = [operation.Id], InstanceName = "job-2", ToolName = "t", ToolVersion = "1" }));
        Assert.False(string.IsNullOrEmpty(denied.Problem?.Detail));
    }

    [SkippableFact]
    public async Task Acl_entries_are_added_listed_and_removed()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var operatorClient = service.ClientOf("persona-access-admin");
        var operation = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("client acl"), studies: 1));
        await operation.WaitForCompletionAsync();

        await curator.Datasets.ReleaseAsync(operation.Id);
        await operatorClient.Access.AddToAclAsync(operation.Id, "foreign");
        var acl = await operatorClient.Access.GetAclAsync(operation.Id);
        await operatorClient.Access.RemoveFromAclAsync(operation.Id, "foreign");

        Assert.Contains(acl, e => e.Username == "foreign");
        Assert.DoesNotContain(await operatorClient.Access.GetAclAsync(operation.Id), e => e.Username == "foreign");
        // Another curator of the project sees the released dataset but may not manage its ACL.
        using var otherCurator = service.ClientOf("persona-curator2");
        await Assert.ThrowsAsync<AccessDeniedException>(() => otherCurator.Access.GetAclAsync(operation.Id));
    }
}
