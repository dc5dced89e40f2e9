from pyramid.view import view_config


@view_config(route_name="core.admin", renderer="core:templates/admin/index.jinja2", permission="admin")
def admin_index(request):
    return {}


@view_config(route_name="core.admin.plugins", renderer="core:templates/admin/plugins.jinja2", permission="admin")
def plugins(request):
    return {"plugins": request.registry.pluginmanager.plugin_infos()}
