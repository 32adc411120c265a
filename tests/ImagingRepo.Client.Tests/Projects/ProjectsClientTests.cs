using System.Text.Json;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Tests.Support;

namespace ImagingRepo.Client.Tests.Projects;

/// <summary><see cref="ProjectsClient"/> against the reference service.</summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class ProjectsClientTests(ReferenceService service)
{
    [SkippableFact]
    public async Task Project_is_created_configured_changed_and_deleted()
    {
        service.Require();
        using var admin = service.ClientOf("persona-project-admin");
        var code = "P-" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8).ToArray()).ToUpperInvariant();

        // The reference service wants a configuration with every project PUT (the spec leaves it optional).
        await admin.Projects.PutProjectAsync(code, new ProjectPut
        {
            Name = "Client test project", ShortDescription = "made by the client tests", ProjectConfig = new ProjectConfig { DefaultContactInfo = "first@example.org" },
        });
        await admin.Projects.SetConfigAsync(code, new ProjectConfig
        {
            DefaultContactInfo = "pm@example.org",
            DefaultLicense = new License { Title = "CC BY 4.0", Url = "https://creativecommons.org/licenses/by/4.0/" },
            ZenodoAccessToken = "zenodo-secret-token",
            ZenodoCommunity = "client_tests",
        });
        await admin.Projects.UpdatePropertyAsync(code, ProjectProperty.ShortDescription, JsonSerializer.SerializeToElement("changed"));
        await admin.Projects.PutSubprojectAsync(code, "LUNG", new Subproject { Name = "Lung cancer", Description = "the lung cases" });
        using (var logo = new MemoryStream(Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")))
        {
            await admin.Projects.SetLogoAsync(code, logo, "logo.png");
        }

        var project = await admin.Projects.GetProjectAsync(code);
        var config = await admin.Projects.GetConfigAsync(code);
        var subprojects = await admin.Projects.GetSubprojectsAsync(code);
        var list = await admin.Projects.GetProjectsAsync();

        Assert.Equal("Client test project", project.Name);
        Assert.Equal("changed", project.ShortDescription);
        Assert.False(string.IsNullOrEmpty(project.LogoUrl));
        Assert.Contains(ProjectAction.Config, project.AllowedActionsForTheUser!);
        Assert.Equal("pm@example.org", config.DefaultContactInfo);
        Assert.Equal("CC BY 4.0", config.DefaultLicense!.Title);
        Assert.DoesNotContain("zenodo-secret-token", config.ToString(), StringComparison.Ordinal);
        Assert.Equal("Lung cancer", Assert.Single(subprojects.List!).Name);
        Assert.Contains(list.List!, p => p.Code == code);

        await admin.Projects.SetLogoAsync(code, null, "");
        Assert.True(string.IsNullOrEmpty((await admin.Projects.GetProjectAsync(code)).LogoUrl));
        await admin.Projects.DeleteProjectAsync(code);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => admin.Projects.GetProjectAsync(code));
    }

    [SkippableFact]
    public async Task Project_codes_for_a_purpose_are_the_callers()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");

        var creation = await curator.Projects.GetProjectCodesAsync(ProjectListPurpose.DatasetCreation);

        Assert.Contains("ALPHA", creation);
        Assert.DoesNotContain("BETA", creation);
        Assert.NotNull(await curator.Projects.GetProjectCodesAsync(ProjectListPurpose.DatasetSearchFilter));
    }
}
