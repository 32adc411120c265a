using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Users;

namespace ImagingRepo.Client.Tests.Users;

/// <summary><see cref="UsersClient"/> against the reference service.</summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class UsersClientTests(ReferenceService service)
{
    [SkippableFact]
    public async Task Users_and_sites_are_put_read_and_listed()
    {
        service.Require();
        using var admin = service.ClientOf("persona-superadmin");
        using var userAdmin = service.ClientOf("persona-user-admin");
        var site = "S-" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(6).ToArray()).ToUpperInvariant();
        var userName = "client-user-" + Guid.NewGuid().ToString("N")[..8];

        var put = await Record.ExceptionAsync(() => admin.Users.PutSiteAsync(site, new SiteDetails { Name = "Client Test Hospital", Country = "Spain" }));
        if (put is AccessDeniedException) await userAdmin.Users.PutSiteAsync(site, new SiteDetails { Name = "Client Test Hospital", Country = "Spain" });
        else Assert.Null(put);
        await userAdmin.Users.PutUserAsync(userName, new UserPut { Roles = ["use_datasets"], Projects = ["ALPHA"], SiteCode = site, Gid = -1 });

        var details = await userAdmin.Users.GetUserAsync(userName, UserDetailScope.All);
        var gidOnly = await userAdmin.Users.GetUserAsync(userName);
        var users = new List<UserListItem>();
        await foreach (var user in userAdmin.Users.GetUsersAsync(searchString: userName)) users.Add(user);

        Assert.Equal(userName, details.Username);
        Assert.Equal(["use_datasets"], details.Roles);
        Assert.Equal(site, details.SiteCode);
        Assert.NotNull(gidOnly.Gid);
        Assert.Equal(userName, Assert.Single(users).Username);
        Assert.Equal("Client Test Hospital", (await userAdmin.Users.GetSiteAsync(site)).Name);
        Assert.Contains(await userAdmin.Users.GetSitesAsync(), s => s.Code == site);
        Assert.NotEmpty(await userAdmin.Users.GetRolesAsync());
        Assert.NotNull(await userAdmin.Users.GetManagementJobsAsync(userName));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => userAdmin.Users.GetManagementJobLogAsync(userName, Guid.NewGuid().ToString()));
    }
}
