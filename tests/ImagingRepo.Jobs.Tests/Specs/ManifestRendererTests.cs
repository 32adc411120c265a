using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Tests.Support;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Specs;

public class ManifestRendererTests
{
    private const string Image = TestData.Registry + "tools/nnunet:2.1";

    public static TheoryData<string> SpecNames => ["batch", "htc", "inference", "interactive-jupyter", "interactive-desktop", "batch-cephfs"];

    private static (WorkloadSpec Spec, JobsOptions Options) Sample(string name)
    {
        var options = TestData.Options();
        WorkloadSpec spec = name switch
        {
            "batch" => new BatchJob
            {
                Name = "segment-lungs",
                Image = Image,
                Arguments = ["--input", "/home/chaimeleon/datasets", "--fold", "all"],
                DatasetIds = ["0b1c4f0e-7d7e-4f35-a2a1-2f1c9a0e8c11", "ds-2024-lung"],
                Environment = { ["OMP_NUM_THREADS"] = "2" },
                MountDatalake = true,
            },
            "htc" => new HtcJob
            {
                Name = "radiomics-sweep",
                Image = TestData.Registry + "tools/pyradiomics:3.1.0",
                Command = ["python", "-m", "sweep"],
                DatasetIds = ["ds-2024-lung"],
                Completions = 64,
                Parallelism = 2,
                ToolName = "pyradiomics",
            },
            "inference" => new InferenceJob
            {
                Name = "prostate-seg",
                Image = TestData.Registry + "models/prostate-unet@sha256:0123456789abcdef",
                DatasetIds = ["ds-prostate-1"],
                ModelId = "model-7f3e",
                Flavor = "gpu",
            },
            "interactive-jupyter" => new InteractiveSession { Name = "notebook", Image = TestData.Registry + "desktops/jupyter:4.2", DatasetIds = ["ds-2024-lung"] },
            "interactive-desktop" => new InteractiveSession { Name = "desktop", Image = TestData.Registry + "desktops/ubuntu-desktop:22.04", Kind = SessionKind.Desktop, Flavor = "medium" },
            "batch-cephfs" => new BatchJob { Name = "ceph-batch", Image = Image, DatasetIds = ["ds-1"], MountDatalake = true },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        if (name == "batch-cephfs")
        {
            options.Conventions.Storage = new DatasetStorage
            {
                Kind = DatasetStorageKind.CephFs,
                CephMonitors = ["10.0.0.1:6789", "10.0.0.2:6789"],
            };
        }

        return (spec, options);
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Rendered_manifests_match_the_golden_files(string name)
    {
        var (spec, options) = Sample(name);
        var rendered = TestData.Renderer(options).Render(spec, TestData.Workspace);
        Golden.Verify($"{name}.yaml", rendered.ToYaml());
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Every_rendered_object_round_trips_through_KubernetesYaml_in_strict_mode(string name)
    {
        var (spec, options) = Sample(name);
        var rendered = TestData.Renderer(options).Render(spec, TestData.Workspace);
        foreach (var obj in rendered.Objects)
        {
            string yaml = KubernetesYaml.Serialize(obj);
            object back = obj switch
            {
                V1Job => KubernetesYaml.Deserialize<V1Job>(yaml, strict: true),
                V1Deployment => KubernetesYaml.Deserialize<V1Deployment>(yaml, strict: true),
                V1Service => KubernetesYaml.Deserialize<V1Service>(yaml, strict: true),
                V1Secret => KubernetesYaml.Deserialize<V1Secret>(yaml, strict: true),
                _ => throw new InvalidOperationException(obj.GetType().Name),
            };
            Assert.Equal(yaml, KubernetesYaml.Serialize(back));
        }

        // The whole stream also loads strictly with the kind map.
        var all = KubernetesYaml.LoadAllFromString(rendered.ToYaml(), typeMap: null, strict: true);
        Assert.Equal(rendered.Objects.Count, all.Count);
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Default_outputs_pass_the_platform_policies(string name)
    {
        var (spec, options) = Sample(name);
        if (name == "batch-cephfs")
        {
            Assert.Contains("cephfs", options.Policy.AllowedVolumeTypes);
        }

        var rendered = TestData.Renderer(options).Render(spec, TestData.Workspace);
        var violations = new PolicyChecker(options.Policy).CheckAll(rendered.Objects, TestData.Workspace);
        Assert.Empty(violations);
    }

    [Fact]
    public void Jobs_are_hardened_by_default()
    {
        var job = TestData.Renderer().RenderJob(new BatchJob { Name = "x", Image = Image, DatasetIds = ["ds-1"] }, TestData.Workspace);
        var pod = job.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1000, pod.SecurityContext.RunAsUser);
        Assert.Equal(1000, pod.SecurityContext.FsGroup);
        Assert.Equal([2042L], pod.SecurityContext.SupplementalGroups.Select(g => g!.Value));
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(pod.AutomountServiceAccountToken);
        var container = pod.Containers.Single();
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Equal(86_400, job.Spec.TtlSecondsAfterFinished);
        Assert.Equal(2, job.Spec.BackoffLimit);
        var datasetMount = Assert.Single(container.VolumeMounts, m => m.Name == "datasets");
        Assert.True(datasetMount.ReadOnlyProperty);
        Assert.Equal("/home/chaimeleon/datasets/ds-1", datasetMount.MountPath);
        Assert.Equal("ds-1", datasetMount.SubPath);
        Assert.Equal("ds-1", job.Metadata.Annotations["chaimeleon.eu/datasetsIDs"]);
        Assert.Equal("ds-1", container.Env.Single(e => e.Name == "DATASETS_LIST").Value);
    }

    [Fact]
    public void Service_account_token_is_mounted_only_when_asked()
    {
        var job = TestData.Renderer().RenderJob(new BatchJob { Name = "x", Image = Image, AutomountServiceAccountToken = true }, TestData.Workspace);
        Assert.True(job.Spec.Template.Spec.AutomountServiceAccountToken);
    }

    [Fact]
    public void Conventions_are_configurable()
    {
        var options = TestData.Options();
        options.Conventions.DatasetsAnnotation = "example.org/datasets";
        options.Conventions.DatasetsEnvironmentVariable = "INPUT_DATASETS";
        options.Conventions.HomePath = "/home/researcher";
        var job = TestData.Renderer(options).RenderJob(new BatchJob { Name = "x", Image = Image, DatasetIds = ["a", "b"] }, TestData.Workspace);
        Assert.Equal("a,b", job.Metadata.Annotations["example.org/datasets"]);
        Assert.Equal("a,b", job.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "INPUT_DATASETS").Value);
        Assert.Contains(job.Spec.Template.Spec.Containers[0].VolumeMounts, m => m.MountPath == "/home/researcher/datasets/b");
    }

    [Fact]
    public void Generated_names_are_valid_labels_derived_from_the_image()
    {
        var job = TestData.Renderer().RenderJob(new BatchJob { Image = TestData.Registry + "tools/My_Tool.Name:1" }, TestData.Workspace);
        Assert.Matches("^my-tool-name-[a-z0-9]{5}$", job.Metadata.Name);
        Assert.Equal("My_Tool.Name", job.Metadata.Annotations["chaimeleon.eu/toolName"]);
        Assert.Equal("1", job.Metadata.Annotations["chaimeleon.eu/toolVersion"]);
    }

    [Theory]
    [InlineData("Bad_Name", "name")]
    [InlineData("-leading", "name")]
    [InlineData("a-name-that-is-far-too-long-for-a-job-because-pods-add-suffixes", "name")]
    public void Invalid_names_are_refused_naming_the_field(string name, string field)
    {
        var e = Assert.Throws<JobsValidationException>(() => TestData.Renderer().Render(new BatchJob { Name = name, Image = Image }, TestData.Workspace));
        Assert.Equal(field, e.Field);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_flavours_are_refused_with_the_known_ones()
    {
        var e = Assert.Throws<JobsValidationException>(() => TestData.Renderer().Render(new BatchJob { Name = "x", Image = Image, Flavor = "huge" }, TestData.Workspace));
        Assert.Equal("flavor", e.Field);
        Assert.Contains("gpu, large, medium, small", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Unsafe_dataset_ids_are_refused(string id)
    {
        var e = Assert.Throws<JobsValidationException>(() => TestData.Renderer().Render(new BatchJob { Name = "x", Image = Image, DatasetIds = ["ok", id] }, TestData.Workspace));
        Assert.Equal("datasets[1]", e.Field);
    }

    [Fact]
    public void Platform_environment_variables_cannot_be_overridden()
    {
        var spec = new BatchJob { Name = "x", Image = Image, Environment = { ["DATASETS_LIST"] = "everything" } };
        var e = Assert.Throws<JobsValidationException>(() => TestData.Renderer().Render(spec, TestData.Workspace));
        Assert.Equal("environment.DATASETS_LIST", e.Field);
    }

    [Theory]
    [InlineData(10, 11, "parallelism")]
    [InlineData(0, 1, "completions")]
    public void Htc_shapes_are_validated(int completions, int parallelism, string field)
    {
        var spec = new HtcJob { Name = "x", Image = Image, Completions = completions, Parallelism = parallelism };
        Assert.Equal(field, Assert.Throws<JobsValidationException>(() => TestData.Renderer().Render(spec, TestData.Workspace)).Field);
    }

    [Theory]
    [InlineData("ubuntu latest")]
    [InlineData("")]
    [InlineData("img;rm -rf")]
    public void Bad_images_are_refused(string image)
    {
        Assert.Equal("image", Assert.Throws<JobsValidationException>(() => TestData.Renderer().Render(new BatchJob { Name = "x", Image = image }, TestData.Workspace)).Field);
    }

    [Fact]
    public void Htc_pods_get_their_shard_of_the_dataset_index()
    {
        var job = TestData.Renderer().RenderJob(new HtcJob { Name = "x", Image = Image, DatasetIds = ["d1"], Completions = 8, Parallelism = 4 }, TestData.Workspace);
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        var env = job.Spec.Template.Spec.Containers[0].Env;
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.Single(e => e.Name == "SHARD_INDEX").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("8", env.Single(e => e.Name == "SHARD_COUNT").Value);
        Assert.Equal("/home/chaimeleon/datasets/d1/index.json", env.Single(e => e.Name == "DATASET_INDEX").Value);
    }
}
