using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Tests.Support;
using ImagingRepo.Jobs.Workspaces;

namespace ImagingRepo.Jobs.Tests.Workspaces;

public class WorkspaceNamingTests
{
    [Theory]
    [InlineData("alice", "user-alice")]
    [InlineData("bob-smith", "user-bob-smith")]
    [InlineData("user42", "user-user42")]
    public void Safe_names_map_directly(string username, string expected) => Assert.Equal(expected, WorkspaceNaming.NamespaceFor(username));

    [Theory]
    [InlineData("Alice")]
    [InlineData("alice@example.org")]
    [InlineData("ALICE.smith_99")]
    [InlineData("a--b")]
    [InlineData("éloïse")]
    [InlineData("a-very-long-user-name-that-does-not-fit-in-a-kubernetes-namespace-label")]
    public void Other_names_get_a_hash_suffix_and_are_valid_labels(string username)
    {
        string ns = WorkspaceNaming.NamespaceFor(username);
        Assert.True(KubernetesNames.IsDns1123Label(ns), ns);
        Assert.Matches("^user-[a-z0-9-]*--[0-9a-f]{10}$", ns);
        Assert.Equal(ns, WorkspaceNaming.NamespaceFor(username));
    }

    [Fact]
    public void Names_that_sanitise_alike_do_not_collide()
    {
        string[] names = ["Alice", "alice", "ALICE", "al.ice", "al_ice", "al-ice", "alice--0123456789", "alice-"];
        var namespaces = names.Select(n => WorkspaceNaming.NamespaceFor(n)).ToArray();
        Assert.Equal(names.Length, namespaces.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("tab\tname")]
    public void Unusable_names_are_refused(string username) =>
        Assert.Equal("username", Assert.Throws<JobsValidationException>(() => WorkspaceNaming.NamespaceFor(username)).Field);

    [Fact]
    public void Workspace_manifests_match_the_golden_file()
    {
        var options = TestData.Options();
        var objects = WorkspaceManifests.Build(new WorkspaceRequest("alice", 2042), options.Workspace, options.Conventions);
        Golden.Verify("workspace.yaml", k8s.KubernetesYaml.SerializeAll(objects));
        Assert.Equal(objects.Count, k8s.KubernetesYaml.LoadAllFromString(k8s.KubernetesYaml.SerializeAll(objects), null, strict: true).Count);
    }
}
