app_name = "action_plans"

urlpatterns: list = []
