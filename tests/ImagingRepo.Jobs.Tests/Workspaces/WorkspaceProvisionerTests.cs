using ImagingRepo.Jobs.Tests.Support;
using ImagingRepo.Jobs.Workspaces;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Workspaces;

/// <summary>Runs against the fake API server, or a real cluster when IMAGINGREPO_KUBECONFIG is set.</summary>
public class WorkspaceProvisionerTests(KubernetesClusterFixture cluster) : IClassFixture<KubernetesClusterFixture>
{
    private WorkspaceProvisioner Provisioner() => new(cluster.Client, cluster.Options());

    [SkippableFact]
    public async Task Provisioning_creates_the_workspace_and_is_idempotent()
    {
        string user = KubernetesClusterFixture.UniqueUser("prov");
        var first = await Provisioner().ProvisionAsync(new WorkspaceRequest(user, 4242));
        try
        {
            Assert.Equal(8, first.Created);
            Assert.Equal(0, first.Updated);
            string ns = first.Identity.Namespace;
            Assert.Equal("user-" + user, ns);

            var second = await Provisioner().ProvisionAsync(new WorkspaceRequest(user, 4242));
            Assert.Equal((0, 8), (second.Created, second.Updated));
            Assert.Equal(first.Identity, second.Identity);

            var identity = await Provisioner().ReadIdentityAsync(user);
            Assert.Equal(first.Identity, identity);

            var quota = await cluster.Client.CoreV1.ReadNamespacedResourceQuotaAsync("workspace-quota", ns);
            Assert.Equal("2", quota.Spec.Hard["requests.nvidia.com/gpu"].ToString());
            var policy = await cluster.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("workspace-egress", ns);
            Assert.Equal(["Egress"], policy.Spec.PolicyTypes);
            var binding = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("workspace-user", ns);
            Assert.Contains(binding.Subjects, s => s.Kind == "User" && s.Name == "oidc:" + user);
        }
        finally
        {
            await Provisioner().DeprovisionAsync(user);
        }
    }

    [SkippableFact]
    public async Task Updates_survive_resource_version_conflicts()
    {
        cluster.RequireFake();
        string user = KubernetesClusterFixture.UniqueUser("conflict");
        var first = await Provisioner().ProvisionAsync(new WorkspaceRequest(user, 100));
        cluster.Fake!.ConflictOnNextReplace("configmaps", first.Identity.Namespace, "workspace-config");
        cluster.Fake.ConflictOnNextReplace("namespaces", "", first.Identity.Namespace);

        var second = await Provisioner().ProvisionAsync(new WorkspaceRequest(user, 200));

        Assert.Equal(8, second.Updated);
        Assert.Equal(200, (await Provisioner().ReadIdentityAsync(user)).DatasetGid);
        await Provisioner().DeprovisionAsync(user);
    }

    [SkippableFact]
    public async Task The_number_of_conflict_retries_is_configurable()
    {
        cluster.RequireFake();
        string user = KubernetesClusterFixture.UniqueUser("noretry");
        var options = cluster.Options();
        options.Workspace.ConflictRetries = 0;
        var first = await new WorkspaceProvisioner(cluster.Client, options).ProvisionAsync(new WorkspaceRequest(user, 100));
        try
        {
            cluster.Fake!.ConflictOnNextReplace("configmaps", first.Identity.Namespace, "workspace-config");
            var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
                new WorkspaceProvisioner(cluster.Client, options).ProvisionAsync(new WorkspaceRequest(user, 200)));
            Assert.Equal(System.Net.HttpStatusCode.Conflict, e.Response.StatusCode);

            options.Workspace.ConflictRetries = 1;
            cluster.Fake.ConflictOnNextReplace("configmaps", first.Identity.Namespace, "workspace-config");
            Assert.Equal(8, (await new WorkspaceProvisioner(cluster.Client, options).ProvisionAsync(new WorkspaceRequest(user, 300))).Updated);
            Assert.Equal(300, (await Provisioner().ReadIdentityAsync(user)).DatasetGid);
        }
        finally
        {
            await Provisioner().DeprovisionAsync(user);
        }
    }

    [SkippableFact]
    public async Task A_namespace_owned_by_another_user_is_not_taken_over()
    {
        string user = KubernetesClusterFixture.UniqueUser("owner");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "user-" + user, Annotations = new Dictionary<string, string> { [WorkspaceManifests.UsernameAnnotation] = "someone-else" } },
        });
        try
        {
            var e = await Assert.ThrowsAsync<JobsValidationException>(() => Provisioner().ProvisionAsync(new WorkspaceRequest(user, 1)));
            Assert.Equal("username", e.Field);
            var configMaps = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("user-" + user, labelSelector: "app.kubernetes.io/managed-by=imagingrepo");
            Assert.Empty(configMaps.Items);
        }
        finally
        {
            await cluster.Client.CoreV1.DeleteNamespaceAsync("user-" + user);
        }
    }

    [SkippableFact]
    public async Task Deprovisioning_removes_the_namespace_and_its_contents()
    {
        string user = KubernetesClusterFixture.UniqueUser("deprov");
        var result = await Provisioner().ProvisionAsync(new WorkspaceRequest(user, 7));
        Assert.True(await Provisioner().DeprovisionAsync(user));
        await KubernetesClusterFixture.EventuallyAsync(async () =>
        {
            try
            {
                var ns = await cluster.Client.CoreV1.ReadNamespaceAsync(result.Identity.Namespace);
                return ns.Status?.Phase == "Terminating";
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "the namespace to go");

        if (!cluster.IsReal)
        {
            Assert.Empty(cluster.Fake!.Objects("configmaps", result.Identity.Namespace));
            Assert.False(await Provisioner().DeprovisionAsync(user));
        }
    }

    [SkippableFact]
    public async Task Concurrent_provisioning_of_many_workspaces_succeeds()
    {
        string prefix = KubernetesClusterFixture.UniqueUser("many");
        var users = Enumerable.Range(0, 12).Select(i => $"{prefix}-{i}").ToArray();
        var results = await Task.WhenAll(users.Select(u => Provisioner().ProvisionAsync(new WorkspaceRequest(u, 5000))));
        Assert.All(results, r => Assert.Equal(8, r.Created));
        await Task.WhenAll(users.Select(u => Provisioner().DeprovisionAsync(u)));
    }

    [SkippableFact]
    public async Task Invalid_requests_are_refused_before_reaching_the_cluster()
    {
        string user = KubernetesClusterFixture.UniqueUser("bad");
        var e = await Assert.ThrowsAsync<JobsValidationException>(() => Provisioner().ProvisionAsync(new WorkspaceRequest(user, 0)));
        Assert.Equal("datasetGid", e.Field);
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespaceAsync("user-" + user));
        Assert.Equal("username", (await Assert.ThrowsAsync<JobsValidationException>(() => Provisioner().ProvisionAsync(new WorkspaceRequest("has space", 5)))).Field);
    }
}
