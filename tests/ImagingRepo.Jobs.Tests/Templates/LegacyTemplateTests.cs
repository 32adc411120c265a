using ImagingRepo.Jobs.Hardening;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Templates;
using ImagingRepo.Jobs.Tests.Support;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Templates;

public class LegacyTemplateTests
{
    private static string Seed(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", "Seed", name));

    private static Dictionary<string, object> Values(string image = TestData.Registry + "tools/nnunet:2.1") => new()
    {
        ["batch_job_name"] = "seg-job",
        ["namespace_name"] = "user-alice",
        ["docker_image"] = image,
        ["command_line_arguments"] = new[] { "--input", "/home/chaimeleon/datasets", "--fold", "all" },
    };

    [Fact]
    public void The_placeholders_are_found()
    {
        var template = LegacyTemplate.Parse(Seed("primage-batch-job.yaml"));
        Assert.Equal(["batch_job_name", "namespace_name", "docker_image", "command_line_arguments"], template.Placeholders);
    }

    [Fact]
    public void Seed_templates_fail_the_policies_for_the_right_reasons()
    {
        var objects = LegacyTemplate.Parse(Seed("primage-batch-job.yaml")).Render(Values());
        var job = Assert.IsType<V1Job>(Assert.Single(objects));
        Assert.Equal(["--input", "/home/chaimeleon/datasets", "--fold", "all"], job.Spec.Template.Spec.Containers[0].Args);

        var violations = new PolicyChecker(new PolicyOptions()).CheckAll(objects, TestData.Workspace);
        Assert.Contains(violations, v => v.Rule == "disallow-privileged-containers" && v.Path == "spec.template.spec.containers[0].securityContext.privileged");
        Assert.Contains(violations, v => v.Rule == "disallow-host-path" && v.Path == "spec.template.spec.volumes[0].hostPath");
        Assert.Contains(violations, v => v.Rule == "require-run-as-non-root");
        Assert.Contains(violations, v => v.Rule == "require-resource-limits");
        Assert.DoesNotContain(violations, v => v.Rule == "restrict-image-registries");

        var pod = Assert.IsType<V1Pod>(Assert.Single(LegacyTemplate.Parse(Seed("primage-pod.yaml")).Render(new Dictionary<string, object>
        {
            ["batch_job_name"] = "seg-pod",
            ["namespace_name"] = "user-alice",
            ["docker_image"] = "docker.io/library/ubuntu:24.04",
            ["command_line_arguments"] = "python run.py --name \"it's\"",
        })));
        Assert.Equal("python run.py --name \"it's\"", pod.Spec.Containers[0].Command[2]);
        Assert.Equal("primage-seg-pod", pod.Metadata.Labels["app"]);
        var podViolations = new PolicyChecker(new PolicyOptions()).Check(pod, TestData.Workspace);
        Assert.Contains(podViolations, v => v.Rule == "disallow-privileged-containers" && v.Path == "spec.containers[0].securityContext.privileged");
        Assert.Contains(podViolations, v => v.Rule == "restrict-image-registries");
    }

    [Fact]
    public void Hardening_a_legacy_template_leaves_only_what_hardening_cannot_decide()
    {
        var job = (V1Job)LegacyTemplate.Parse(Seed("primage-batch-job.yaml")).Render(Values())[0];
        Assert.True(PodHardening.ApplyTo(job, TestData.Workspace));
        var rules = new PolicyChecker(new PolicyOptions()).Check(job, TestData.Workspace).Select(v => v.Rule).Distinct().Order().ToArray();
        // Privileges are gone; the host path and missing limits need a human decision.
        Assert.Equal(["disallow-host-path", "require-resource-limits", "restrict-volume-types"], rules);
    }

    [Fact]
    public void Values_cannot_change_the_yaml_structure()
    {
        var values = Values();
        values["batch_job_name"] = "x\n  privileged: true";
        values["command_line_arguments"] = new[] { "a\"]\n        securityContext: {privileged: true}" };
        string yaml = LegacyTemplate.Parse(Seed("primage-batch-job.yaml")).Substitute(values);
        var job = (V1Job)LegacyTemplate.ParseManifests(yaml)[0];
        Assert.Equal("x\n  privileged: true", job.Metadata.Name);
        Assert.Equal("a\"]\n        securityContext: {privileged: true}", Assert.Single(job.Spec.Template.Spec.Containers[0].Args));
    }

    [Fact]
    public void Unfilled_placeholders_are_refused_with_the_line()
    {
        var values = Values();
        values.Remove("docker_image");
        var e = Assert.Throws<JobsValidationException>(() => LegacyTemplate.Parse(Seed("primage-batch-job.yaml")).Render(values));
        Assert.Equal("#docker_image#", e.Field);
        Assert.Contains("line 15", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_placeholders_are_refused()
    {
        var values = Values();
        values["gpu_count"] = "2";
        var e = Assert.Throws<JobsValidationException>(() => LegacyTemplate.Parse(Seed("primage-batch-job.yaml")).Render(values));
        Assert.Equal("#gpu_count#", e.Field);
    }

    [Fact]
    public void Unsafe_values_inside_a_larger_unquoted_value_are_refused()
    {
        var e = Assert.Throws<JobsValidationException>(() => LegacyTemplate.Parse(Seed("primage-pod.yaml")).Render(new Dictionary<string, object>
        {
            ["batch_job_name"] = "a: b",
            ["namespace_name"] = "user-alice",
            ["docker_image"] = "img",
            ["command_line_arguments"] = "x",
        }));
        Assert.Equal("#batch_job_name#", e.Field);
    }

    [Fact]
    public void A_template_with_an_unknown_field_is_refused_naming_it()
    {
        var template = LegacyTemplate.Parse(Seed("primage-typo.yaml"));
        var e = Assert.Throws<JobsValidationException>(() => template.Render(new Dictionary<string, object>
        {
            ["batch_job_name"] = "j",
            ["namespace_name"] = "user-alice",
            ["docker_image"] = "img",
        }));
        Assert.StartsWith("manifest (line 14", e.Field, StringComparison.Ordinal);
        Assert.Contains("imagePullPolcy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kinds_are_refused()
    {
        var e = Assert.Throws<JobsValidationException>(() => LegacyTemplate.ParseManifests("apiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\n"));
        Assert.StartsWith("manifest", e.Field, StringComparison.Ordinal);
    }
}
