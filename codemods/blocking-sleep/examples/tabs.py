import time


async def main():
	for i in range(2):
		if i:
			time.sleep(0.001)
		print("tab-indented", i)
